"""The sandbox and its bridge: what crosses the process boundary, and what cannot."""
from __future__ import annotations

import io
import socket
import struct

import numpy as np
import pytest

from autograder import wire
from autograder.bridge import Endpoint, PeerGone, SubmissionError
from autograder.sandbox import Sandbox, SandboxFailure

SUBMISSION = '''
import numpy as np

def scale_in_place(x, factor):
    x *= factor
    return x.sum()

class Model:
    def __init__(self):
        self.params = {"W": np.ones(3)}
        self.reg = 0.0
    def loss(self):
        return float(self.params["W"].sum() + self.reg)

def talk():
    print("chosen: CPU")
    return 1

def call_back(f, value):
    return f(value) + 1

def steal(f):  # bypasses its own proxy, as a hostile submission can
    return object.__getattribute__(f, "_endpoint").request("getattr", f, "__globals__")

def rewrite(obj):
    obj.calls = []

def fail():
    raise ValueError("the stride must be at least 1")

def leave():
    raise SystemExit(0)
'''


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(memory_mb=2048) as box:
        box.start()
        assert box.run_cell(SUBMISSION, 30) is None
        yield box


def test_calls_return_plain_data_and_write_back_in_place_changes(sandbox):
    with sandbox.deadline(30):
        x = np.arange(3.0)
        total = sandbox.lookup("scale_in_place")(x, 2.0)
        assert total == 6.0 and type(total) is np.float64
        np.testing.assert_array_equal(x, [0.0, 2.0, 4.0])  # the in-place change is visible, as in a kernel


def test_attributes_and_items_of_the_submissions_objects_can_be_changed(sandbox):
    with sandbox.deadline(30):
        model = sandbox.lookup("Model")()
        model.reg = 0.5
        model.params["W"] = np.zeros(3)
        assert model.loss() == 0.5
        assert sorted(model.params) == ["W"]


def test_printed_output_comes_back_with_the_call(sandbox, capsys):
    with sandbox.deadline(30):
        assert sandbox.lookup("talk")() == 1
    assert "chosen: CPU" in capsys.readouterr().out


def test_callbacks_run_in_the_grader_but_cannot_reach_its_internals(sandbox):
    class Fake:
        calls = ["kept"]

    with sandbox.deadline(30):
        assert sandbox.lookup("call_back")(lambda v: v * 10, 3) == 31
        with pytest.raises(AttributeError, match="may not read"):
            sandbox.lookup("steal")(lambda v: v)
        fake = Fake()
        with pytest.raises(PermissionError, match="read-only"):
            sandbox.lookup("rewrite")(fake)
        assert fake.calls == ["kept"]


def test_exceptions_keep_their_type_or_say_what_they_were(sandbox):
    with sandbox.deadline(30):
        with pytest.raises(ValueError, match="stride"):
            sandbox.lookup("fail")()
        with pytest.raises(SubmissionError, match="SystemExit"):
            sandbox.lookup("leave")()


def test_the_submission_runs_without_privileges(sandbox):
    with sandbox.deadline(30):
        sandbox.run_cell("status = open('/proc/self/status').read()", 30)
        status = dict(line.split(":\t", 1) for line in sandbox.lookup("status").splitlines() if ":\t" in line)
    if int(status["Uid"].split()[0]) == 0:
        assert int(status["CapEff"], 16) == 0 and int(status["CapPrm"], 16) == 0, status
    assert int(status["NoNewPrivs"]) == 1


def test_a_hang_is_stopped_and_the_sandbox_restarts():
    with Sandbox(memory_mb=2048) as box:
        box.start()
        with pytest.raises(SandboxFailure, match="time limit") as failure:
            box.run_cell("while True:\n    pass", 2)
        assert failure.value.timed_out
        box.start()
        assert box.run_cell("x = 1", 30) is None


@pytest.mark.parametrize("header, blobs, error", [
    ({"kind": "reply", "result": {"t": "nd", "b": 0}}, "pickle", "Object arrays cannot be loaded"),
    ({"kind": "reply", "result": {"t": "unknown"}}, [], "unknown value kind"),
    ({"kind": "reply", "result": {"t": "ref", "id": 99, "owner": "receiver"}}, [], "unknown object"),
    ({"kind": "reply", "result": {"t": "list", "v": 5}}, [], "malformed"),
])
def test_the_grader_reads_only_plain_data(header, blobs, error):
    if blobs == "pickle":  # an object array: reading it would unpickle
        buffer = io.BytesIO()
        np.save(buffer, np.array([object()], dtype=object), allow_pickle=True)
        blobs = [buffer.getvalue()]
    ours, theirs = socket.socketpair()
    with ours, theirs:
        wire.send(theirs, header, blobs)
        with pytest.raises(PeerGone, match=error):
            Endpoint(ours, trusts_peer=False).request("call", None)


def test_an_oversized_message_is_refused_before_it_is_read():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        theirs.sendall(struct.pack("<Q", wire.MAX_MESSAGE_BYTES + 1))
        with pytest.raises(PeerGone, match="larger than"):
            Endpoint(ours, trusts_peer=False).request("call", None)

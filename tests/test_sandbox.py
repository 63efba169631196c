"""The sandbox and its bridge: what crosses the process boundary, and what cannot."""
from __future__ import annotations

import io
import socket
import struct

import cv2
import numpy as np
import pytest

from autograder import wire
from autograder.bridge import Endpoint, PeerGone, SubmissionError
from autograder.limits import limits
from autograder.sandbox import Sandbox, SandboxFailure

LIMITS = limits(memory=2048)

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

def steal(f):  # digs out the proxy the function calls, and bypasses it, as a hostile submission can
    proxy = f.__closure__[0].cell_contents
    return object.__getattribute__(proxy, "_endpoint").request("getattr", proxy, "__globals__")

def rewrite(obj):
    obj.calls = []

def fail():
    raise ValueError("the stride must be at least 1")

def leave():
    raise SystemExit(0)

import types
import cv2

def gradient(f, x):  # checks its argument as a careful student would
    if not isinstance(f, types.FunctionType) or type(f) is not types.FunctionType:
        raise ValueError(f"f must be a function, got {type(f).__name__}")
    return f(x) * 2, f.__name__

def same(f, g):
    return f is g

def give_back(f):
    return f

def load_net():
    return cv2.dnn.Net()

def select_backend(net):
    if type(net) is not cv2.dnn.Net:
        raise ValueError(f"net must be a cv2.dnn.Net, got {type(net).__name__}")
    return "CPU"

def spin(x):
    while True:
        pass
'''


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(LIMITS) as box:
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


def test_an_exception_says_which_call_raised_it(sandbox):
    with sandbox.deadline(30), pytest.raises(ValueError) as raised:
        sandbox.lookup("select_backend")(np.zeros((6, 6)))
    assert raised.value.remote_call == "select_backend(<6x6 float64 array>)"


def test_the_grader_s_functions_arrive_as_real_functions(sandbox):
    """A student's check of its argument (isinstance, type, its name) sees what it would see in a kernel."""
    def square(v):
        return v * v

    with sandbox.deadline(30):
        assert sandbox.lookup("gradient")(square, 3.0) == (18.0, "square")
        assert sandbox.lookup("gradient")(lambda v: v + 1, 1.0) == (4.0, "<lambda>")
        assert sandbox.lookup("same")(square, square) is True
        assert sandbox.lookup("give_back")(square) is square  # back in the grader, it is the grader's own


def test_the_submission_s_objects_come_back_as_themselves(sandbox):
    """An object the student's code made (a cv2.dnn.Net) is the real object when the grader passes it back."""
    with sandbox.deadline(30):
        net = sandbox.lookup("load_net")()
        assert isinstance(net, cv2.dnn.Net) and type(net) is not cv2.dnn.Net  # a proxy here...
        assert sandbox.lookup("select_backend")(net) == "CPU"  # ...the Net itself there


def test_the_submission_runs_without_privileges(sandbox):
    with sandbox.deadline(30):
        sandbox.run_cell("status = open('/proc/self/status').read()", 30)
        status = dict(line.split(":\t", 1) for line in sandbox.lookup("status").splitlines() if ":\t" in line)
    if int(status["Uid"].split()[0]) == 0:
        assert int(status["CapEff"], 16) == 0 and int(status["CapPrm"], 16) == 0, status
    assert int(status["NoNewPrivs"]) == 1


def test_a_hang_is_stopped_and_the_sandbox_restarts_afresh():
    with Sandbox(LIMITS) as box:
        box.start()
        assert box.run_cell("import numpy\nnumpy.allclose = None", 30) is None
        with pytest.raises(SandboxFailure, match="time limit of 2 s and was stopped") as failure:
            box.run_cell("while True:\n    pass", 2)
        assert failure.value.timed_out
        box.start()
        assert box.run_cell("import numpy\nassert numpy.allclose is not None", 30) is None


def test_a_hang_in_a_call_names_the_call(sandbox):
    with pytest.raises(SandboxFailure, match=r"time limit of 1 s in spin\(<3 int64 array>\)") as failure:
        with sandbox.deadline(1):
            sandbox.lookup("spin")(np.arange(3))
    assert failure.value.timed_out and failure.value.function == "spin"
    sandbox.start()
    assert sandbox.run_cell(SUBMISSION, 30) is None


def test_a_sandbox_that_starts_cold_works_as_well():
    """Where a process must not go on after a fork (macOS), the zygote's child starts a fresh Python."""
    with Sandbox(LIMITS, warm=False) as box:
        box.start()
        assert box.run_cell(SUBMISSION, 60) is None
        with box.deadline(30):
            assert box.lookup("call_back")(lambda v: v * 10, 3) == 31


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
        theirs.sendall(struct.pack("<Q", (1 << 20) + 1))
        with pytest.raises(PeerGone, match="larger than 1 MiB"):
            Endpoint(ours, trusts_peer=False, max_message=1 << 20).request("call", None)

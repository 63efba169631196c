"""Classic CNNs as ONNX graphs with random weights, built in memory (lesson 09).

Nothing can be downloaded in the course, so the networks of the lectures are generated here:
AlexNet and VGG16 from lesson 08's layer lists (:data:`ALEXNET`, :data:`VGG16`, same format as
lesson 08's ``layer_stats``), and GoogLeNet/Inception-v1 (:func:`googlenet`) with its Inception
modules. The weights are random (He-scaled normal, seeded): the graphs are for inspecting layer
by layer and for timing, not for classifying. Every graph takes an NCHW float32 input named
``input`` with a symbolic batch size and ends in a ``Softmax`` named ``prob``.

Nothing here is graded: lesson 09's ``export_onnx`` (the trained digits network with its own
weights) is the student's to write.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper

#: ONNX operator set of the generated graphs.
OPSET = 13

#: The classifier that AlexNet and VGG16 share: fc6, fc7 (4096 units, dropout) and fc8 (1000 classes).
_CLASSIFIER: list[dict[str, Any]] = [
    {"type": "fc", "name": "fc6", "units": 4096},
    {"type": "relu", "name": "relu6"},
    {"type": "dropout", "name": "drop6"},
    {"type": "fc", "name": "fc7", "units": 4096},
    {"type": "relu", "name": "relu7"},
    {"type": "dropout", "name": "drop7"},
    {"type": "fc", "name": "fc8", "units": 1000},
    {"type": "softmax", "name": "prob"},
]

#: AlexNet, single tower (no groups), as in lesson 08: 62,378,344 parameters.
ALEXNET: list[dict[str, Any]] = [
    {"type": "conv", "name": "conv1", "filters": 96, "size": 11, "stride": 4, "pad": 0},
    {"type": "relu", "name": "relu1"},
    {"type": "pool", "name": "pool1", "size": 3, "stride": 2},
    {"type": "conv", "name": "conv2", "filters": 256, "size": 5, "stride": 1, "pad": 2},
    {"type": "relu", "name": "relu2"},
    {"type": "pool", "name": "pool2", "size": 3, "stride": 2},
    {"type": "conv", "name": "conv3", "filters": 384, "size": 3, "stride": 1, "pad": 1},
    {"type": "relu", "name": "relu3"},
    {"type": "conv", "name": "conv4", "filters": 384, "size": 3, "stride": 1, "pad": 1},
    {"type": "relu", "name": "relu4"},
    {"type": "conv", "name": "conv5", "filters": 256, "size": 3, "stride": 1, "pad": 1},
    {"type": "relu", "name": "relu5"},
    {"type": "pool", "name": "pool5", "size": 3, "stride": 2},
] + [dict(layer) for layer in _CLASSIFIER]
ALEXNET_INPUT = (3, 227, 227)

#: VGG16 (configuration D), as in lesson 08: 138,357,544 parameters.
VGG16: list[dict[str, Any]] = []
for _block, (_filters, _convs) in enumerate([(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)], start=1):
    for _i in range(1, _convs + 1):
        VGG16 += [{"type": "conv", "name": f"conv{_block}_{_i}", "filters": _filters, "size": 3, "stride": 1, "pad": 1},
                  {"type": "relu", "name": f"relu{_block}_{_i}"}]
    VGG16.append({"type": "pool", "name": f"pool{_block}", "size": 2, "stride": 2})
VGG16 += [dict(layer) for layer in _CLASSIFIER]
VGG16_INPUT = (3, 224, 224)

#: GoogLeNet's nine Inception modules (Szegedy et al. 2014, table 1): name, then the filters of
#: the 1x1 branch, the 3x3 reduce and 3x3, the 5x5 reduce and 5x5 convolutions, and the pool projection.
INCEPTION_MODULES: list[tuple[str, int, int, int, int, int, int]] = [
    ("inception_3a", 64, 96, 128, 16, 32, 32),
    ("inception_3b", 128, 128, 192, 32, 96, 64),
    ("inception_4a", 192, 96, 208, 16, 48, 64),
    ("inception_4b", 160, 112, 224, 24, 64, 64),
    ("inception_4c", 128, 128, 256, 24, 64, 64),
    ("inception_4d", 112, 144, 288, 32, 64, 64),
    ("inception_4e", 256, 160, 320, 32, 128, 128),
    ("inception_5a", 256, 160, 320, 32, 128, 128),
    ("inception_5b", 384, 192, 384, 48, 128, 128),
]
GOOGLENET_INPUT = (3, 224, 224)


class _Graph:
    """Accumulates nodes and random initializers of one ONNX graph."""

    #: Random values are drawn once and repeated from a random offset: 138 million normal
    #: draws (VGG16) would take longer than the rest of the lesson. A prime length keeps the
    #: repetition out of step with the rows of the weight matrices.
    POOL_SIZE = 65521

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.pool = self.rng.standard_normal(self.POOL_SIZE, dtype=np.float32)
        # Filled in place: copying half a gigabyte of weights (VGG16) takes seconds.
        self.onnx_model = onnx.ModelProto(ir_version=8, producer_name="cnncourse")
        self.onnx_model.opset_import.append(helper.make_opsetid("", OPSET))
        self.graph = self.onnx_model.graph

    def weight(self, name: str, shape: tuple[int, ...], fan_in: int) -> str:
        scaled = np.roll(self.pool, int(self.rng.integers(self.POOL_SIZE))) * np.float32(np.sqrt(2.0 / fan_in))
        values = np.empty(int(np.prod(shape)), dtype=np.float32)
        whole = values.size - values.size % self.POOL_SIZE
        values[:whole].reshape(-1, self.POOL_SIZE)[:] = scaled
        values[whole:] = scaled[:values.size - whole]
        self._initializer(name, shape, values)
        return name

    def bias(self, name: str, size: int) -> str:
        self._initializer(name, (size,), np.full(size, 0.01, dtype=np.float32))
        return name

    def _initializer(self, name: str, shape: tuple[int, ...], values: np.ndarray) -> None:
        tensor = self.graph.initializer.add()
        tensor.name, tensor.data_type = name, TensorProto.FLOAT
        tensor.dims.extend(shape)
        tensor.raw_data = values.tobytes()  # float32, little-endian on the machines the course runs on

    def node(self, op: str, inputs: Sequence[str], name: str, **attributes: Any) -> str:
        self.graph.node.append(helper.make_node(op, list(inputs), [name], name=name, **attributes))
        return name

    def conv(self, x: str, name: str, channels: int, filters: int, size: int, stride: int = 1, pad: int = 0) -> str:
        w = self.weight(f"{name}.W", (filters, channels, size, size), channels * size * size)
        return self.node("Conv", [x, w, self.bias(f"{name}.b", filters)], name, kernel_shape=[size, size],
                         strides=[stride, stride], pads=[pad] * 4)

    def conv_relu(self, x: str, name: str, channels: int, filters: int, size: int, stride: int = 1, pad: int = 0) -> str:
        return self.node("Relu", [self.conv(x, name, channels, filters, size, stride, pad)], f"{name}.relu")

    def fc(self, x: str, name: str, n_in: int, units: int) -> str:
        w = self.weight(f"{name}.W", (units, n_in), n_in)  # (out, in) with transB=1, as PyTorch exports it
        return self.node("Gemm", [x, w, self.bias(f"{name}.b", units)], name, transB=1)

    def model(self, name: str, input_shape: Sequence[int], output: str, classes: int) -> onnx.ModelProto:
        self.graph.name = name
        self.graph.input.append(helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", *input_shape]))
        self.graph.output.append(helper.make_tensor_value_info(output, TensorProto.FLOAT, ["batch", classes]))
        return self.onnx_model


def model_from_arch(arch: Sequence[Mapping[str, Any]], input_shape: tuple[int, int, int], *,
                    name: str = "net", seed: int = 0) -> onnx.ModelProto:
    """Build an ONNX graph with random weights from a lesson-07 layer list.

    Parameters
    ----------
    arch : sequence of dict
        Layers ``{"type": "conv", "filters", "size", "stride", "pad"}``, ``{"type": "pool",
        "size", "stride"}`` (max pooling), ``{"type": "fc", "units"}``, ``relu``, ``dropout``,
        ``softmax``; an optional ``name`` becomes the node's name. The last layer must be a
        ``softmax`` after an ``fc``.
    input_shape : tuple of int
        ``(C, H, W)`` of one input.
    name : str
        The graph's name.
    seed : int
        Seed of the random weights.

    Returns
    -------
    onnx.ModelProto
        Input ``input`` ``(batch, C, H, W)``, output named after
        the last layer.

    Raises
    ------
    ValueError
        For a layer type the builder does not know, or a net that does not end in fc + softmax.
    """
    if not arch or arch[-1]["type"] != "softmax":
        raise ValueError("the layer list must end with a softmax layer")
    g = _Graph(seed)
    x, shape = "input", tuple(input_shape)
    counts: dict[str, int] = {}
    for spec in arch:
        kind = spec["type"]
        counts[kind] = counts.get(kind, 0) + 1
        layer = spec.get("name", f"{kind}{counts[kind]}")
        if kind == "conv":
            size, stride, pad = spec["size"], spec.get("stride", 1), spec.get("pad", 0)
            x = g.conv(x, layer, shape[0], spec["filters"], size, stride, pad)
            side = [(n - size + 2 * pad) // stride + 1 for n in shape[1:]]
            shape = (spec["filters"], *side)
        elif kind == "pool":
            size = spec["size"]
            stride = spec.get("stride") or size
            x = g.node("MaxPool", [x], layer, kernel_shape=[size, size], strides=[stride, stride])
            shape = (shape[0], *[(n - size) // stride + 1 for n in shape[1:]])
        elif kind == "fc":
            if len(shape) == 3:
                x = g.node("Flatten", [x], f"{layer}.flatten", axis=1)
                shape = (int(np.prod(shape)),)
            x = g.fc(x, layer, shape[0], spec["units"])
            shape = (spec["units"],)
        elif kind == "relu":
            x = g.node("Relu", [x], layer)
        elif kind == "dropout":
            x = g.node("Dropout", [x], layer)
        elif kind == "softmax":
            if len(shape) != 1:
                raise ValueError("softmax must follow an fc layer")
            x = g.node("Softmax", [x], layer, axis=1)
        else:
            raise ValueError(f"unknown layer type {kind!r}")
    return g.model(name, input_shape, x, shape[0])


def googlenet(modules: int = 9, *, classes: int = 1000, seed: int = 0) -> onnx.ModelProto:
    """GoogLeNet/Inception-v1 (the Caffe ``bvlc_googlenet`` layout, without the auxiliary classifiers).

    conv 7x7/2 - max pool 3x3/2 - LRN - conv 1x1 - conv 3x3 - LRN - max pool 3x3/2 - Inception 3a, 3b -
    max pool - 4a ... 4e - max pool - 5a, 5b - global average pool - dropout - fc - softmax.
    The strided max pools (``pool1/3x3_s2`` ... ``pool4/3x3_s2``, Caffe's names) round up
    (``ceil_mode``), as in Caffe: 112 -> 56 -> 28 -> 14 -> 7. Caffe's last pooling is a 7x7
    average (``pool5/7x7_s1``); here a global average pool (``pool5/avg``) takes any size.

    Parameters
    ----------
    modules : int
        How many of the nine Inception modules to keep (1..9); fewer give a shorter chain that
        ends with the global average pool and the classifier.
    classes : int
        Outputs of the classifier.
    seed : int
        Seed of the random weights.

    Returns
    -------
    onnx.ModelProto
        Input ``input`` ``(batch, 3, 224, 224)``, output ``prob`` ``(batch, classes)``.

    Raises
    ------
    ValueError
        If ``modules`` is not in 1..9.
    """
    if not 1 <= modules <= len(INCEPTION_MODULES):
        raise ValueError(f"modules must be 1..{len(INCEPTION_MODULES)}, got {modules!r}")
    g = _Graph(seed)

    def max_pool(x: str, name: str, size: int, stride: int, pad: int = 0) -> str:
        return g.node("MaxPool", [x], name, kernel_shape=[size, size], strides=[stride, stride],
                      pads=[pad] * 4, ceil_mode=1 if stride > 1 else 0)

    def lrn(x: str, name: str) -> str:
        return g.node("LRN", [x], name, size=5, alpha=1e-4, beta=0.75)

    x = g.conv_relu("input", "conv1/7x7_s2", 3, 64, 7, 2, 3)
    x = lrn(max_pool(x, "pool1/3x3_s2", 3, 2), "pool1/norm1")
    x = g.conv_relu(x, "conv2/3x3_reduce", 64, 64, 1)
    x = g.conv_relu(x, "conv2/3x3", 64, 192, 3, 1, 1)
    x = max_pool(lrn(x, "conv2/norm2"), "pool2/3x3_s2", 3, 2)
    channels = 192
    for name, c1, r3, c3, r5, c5, proj in INCEPTION_MODULES[:modules]:
        if name in ("inception_4a", "inception_5a"):  # Caffe's pool3/3x3_s2 and pool4/3x3_s2
            x = max_pool(x, f"pool{int(name[-2]) - 1}/3x3_s2", 3, 2)
        branches = [
            g.conv_relu(x, f"{name}/1x1", channels, c1, 1),
            g.conv_relu(g.conv_relu(x, f"{name}/3x3_reduce", channels, r3, 1), f"{name}/3x3", r3, c3, 3, 1, 1),
            g.conv_relu(g.conv_relu(x, f"{name}/5x5_reduce", channels, r5, 1), f"{name}/5x5", r5, c5, 5, 1, 2),
            g.conv_relu(max_pool(x, f"{name}/pool", 3, 1, 1), f"{name}/pool_proj", channels, proj, 1),
        ]
        x = g.node("Concat", branches, f"{name}/output", axis=1)
        channels = c1 + c3 + c5 + proj
    x = g.node("GlobalAveragePool", [x], "pool5/avg")
    x = g.node("Dropout", [x], "pool5/drop")
    x = g.node("Flatten", [x], "pool5/flatten", axis=1)
    x = g.node("Softmax", [g.fc(x, "loss3/classifier", channels, classes)], "prob", axis=1)
    return g.model("googlenet", GOOGLENET_INPUT, x, classes)


def count_parameters(model: onnx.ModelProto) -> int:
    """Return the number of weights and biases stored as initializers in an ONNX model."""
    return sum(int(np.prod(t.dims)) for t in model.graph.initializer)


def node_table(model: onnx.ModelProto) -> list[dict[str, Any]]:
    """Return one row per ONNX node: its name, operator and the number of parameters it owns.

    Parameters
    ----------
    model : onnx.ModelProto

    Returns
    -------
    list of dict
        ``{"name", "op", "params"}``; ``params`` counts the node's initializer inputs.
    """
    sizes = {t.name: int(np.prod(t.dims)) for t in model.graph.initializer}
    return [{"name": n.name, "op": n.op_type, "params": sum(sizes.get(i, 0) for i in n.input)}
            for n in model.graph.node]

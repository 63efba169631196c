"""Wrong and correct implementations of lesson 09 (OpenCV DNN inference)."""
from course_catalogue import Mutant, Variant

LESSON = "09_opencv_dnn"

_FC1 = 'helper.make_node("Gemm", ["flat", "W2", "b2"], ["fc1"], name="fc1", transB=0)'
_FC2 = 'helper.make_node("Gemm", ["relu2", "W3", "b3"], ["fc2"], name="fc2", transB=0),'
_SOFTMAX = 'helper.make_node("Softmax", ["fc2"], ["prob"], name="prob", axis=1),'
_FLATTEN = 'helper.make_node("Flatten", ["pool1"], ["flat"], name="flatten", axis=1),'
_WEIGHTS = "zip(names, (W1, b1, W2, b2, W3, b3))"
_TIMING = ("first = timed_call(blob)\n"
           "        latency = float(np.median([timed_call(blob) for _ in range(repeats)]))")

MUTANTS = [
    # export_onnx
    Mutant("export_onnx", "biases forgotten",
           replace=(('["input", "W1", "b1"]', '["input", "W1"]'), ('["flat", "W2", "b2"]', '["flat", "W2"]'),
                    ('["relu2", "W3", "b3"]', '["relu2", "W3"]')),
           hint="biases were forgotten"),
    Mutant("export_onnx", "W2 reshaped to (out, in) for transB=1 instead of transposed",
           replace=((_FC1, _FC1.replace("transB=0", "transB=1")),
                    (_WEIGHTS, "zip(names, (W1, b1, W2.reshape(W2.shape[1], W2.shape[0]), b2, W3, b3))")),
           hint="reshaped"),
    Mutant("export_onnx", "W2 used with transB=1, as PyTorch exports it",
           replace=((_FC1, _FC1.replace("transB=0", "transB=1")),), hint="transB"),
    Mutant("export_onnx", "Softmax missing",
           replace=((_FC2, _FC2.replace('["fc2"]', '["prob"]')), (_SOFTMAX, "")), hint="Softmax is missing"),
    Mutant("export_onnx", "padding missing in Conv",
           replace=(("pads=[pad, pad, pad, pad]", "pads=[0, 0, 0, 0]"),), hint="pads"),
    Mutant("export_onnx", "flattened in H, W, C order",
           replace=((_FLATTEN, 'helper.make_node("Transpose", ["pool1"], ["pool1_hwc"], name="hwc", perm=[0, 2, 3, 1]),\n'
                               '        helper.make_node("Flatten", ["pool1_hwc"], ["flat"], name="flatten", axis=1),'),),
           hint="wrong flatten order"),
    Mutant("export_onnx", "weights not converted to float32",
           replace=(("np.asarray(params[name], dtype=np.float32)", "np.asarray(params[name])"),), hint="float32"),
    Mutant("export_onnx", "missing folder not checked",
           replace=(("if not path.parent.is_dir():", "if False:"),), hint="folder does not exist"),
    Mutant("export_onnx", "the input declared with a batch size of 1 (OpenCV ignores it, other runtimes do not)",
           replace=(('["batch", channels, side, side]', '[1, channels, side, side]'), ('["batch", classes]', '[1, classes]')),
           hint="batch size is fixed"),
    Mutant("export_onnx", "the output named after its operator, not 'prob' as the contract says",
           replace=(('["fc2"], ["prob"], name="prob"', '["fc2"], ["softmax"], name="softmax"'),
                    ('make_tensor_value_info("prob"', 'make_tensor_value_info("softmax"')),
           hint="named 'prob'"),
    Mutant("export_onnx", "flattened with a Reshape to [1, -1]: one image only",
           replace=((_FLATTEN, 'helper.make_node("Reshape", ["pool1", "flat_shape"], ["flat"], name="flatten"),'),
                    (_WEIGHTS, "zip(names, (W1, b1, W2, b2, W3, b3))] + [numpy_helper.from_array("
                               "np.array([1, -1], dtype=np.int64), 'flat_shape')")),
           hint="only works for batch 1"),
    Mutant("export_onnx", "the softmax taken over the images (axis=0)",
           replace=(('name="prob", axis=1', 'name="prob", axis=0'),), hint="over the images"),
    # load_net
    Mutant("load_net", "default engine (OpenCV 5's new engine)",
           replace=(("net = cv2.dnn.readNetFromONNX(str(path), getattr(cv2.dnn, engine))",
                     "net = cv2.dnn.readNetFromONNX(str(path))"),),
           hint="ENGINE_CLASSIC"),
    Mutant("load_net", "assumes ENGINE_CLASSIC exists (gone after OpenCV 5.0)",
           replace=(("engine = next((name for name in ENGINES if hasattr(cv2.dnn, name)), None)",
                     'engine = "ENGINE_CLASSIC"'),),
           hint="look the engine names up"),
    Mutant("load_net", "the network's engine and input shape not remembered",
           replace=(("    remember_net(net, engine=engine, input_shape=onnx_input_shape(path))\n", ""),),
           hint="remember_net"),
    Mutant("load_net", "cv2.error not caught",
           replace=(("except cv2.error as error:", "except ValueError as error:"),), hint="catch it"),
    Mutant("load_net", "neither existence checked nor cv2.error caught",
           replace=(("if not path.is_file():", "if False:"), ("except cv2.error as error:", "except ValueError as error:")),
           hint="does not exist"),
    Mutant("load_net", "returns the path instead of the network",
           replace=(("    return net\n", "    return path\n"),), hint="cv2.dnn.Net"),
    # select_backend
    Mutant("select_backend", "trusts the setters: no warm-up forward",
           replace=(("        try:\n            with quiet_opencv():\n                result = warm_up(backend, target)",
                     "        net.setPreferableBackend(backend)\n"
                     "        net.setPreferableTarget(target)\n"
                     '        return {"name": name, "backend": backend, "target": target, "max_abs_diff": 0.0}\n'
                     "        try:\n            with quiet_opencv():\n                result = warm_up(backend, target)"),),
           hint="setter"),
    Mutant("select_backend", "cv2.error of the warm-up not caught",
           replace=(("except cv2.error as error:", "except ValueError as error:"),), hint="try/except cv2.error"),
    Mutant("select_backend", "results compared, but not where the layers ran",
           replace=(('if name != "CPU" and devices[label] == 0:', "if False:"),), hint="fell back to the CPU silently"),
    Mutant("select_backend", "the input shape of lesson 07's digits assumed, not the one the graph declares",
           replace=(("        input_shape = facts.input_shape\n", "        input_shape = (1, 8, 8)\n"),),
           hint="net_facts(net).input_shape"),
    Mutant("select_backend", "a wrong input shape passes through as cv2.error",
           replace=(("""    try:
        with quiet_opencv():
            reference = warm_up(cv2.dnn.DNN_BACKEND_OPENCV, cv2.dnn.DNN_TARGET_CPU)
    except cv2.error as error:
        raise ValueError(f"the network does not take inputs of shape {(1, *input_shape)}: "
                         f"{str(error).strip().splitlines()[-1][:200]}") from None
""", "    reference = warm_up(cv2.dnn.DNN_BACKEND_OPENCV, cv2.dnn.DNN_TARGET_CPU)\n"),),
           hint="not a cv2.error"),
    Mutant("select_backend", "engine not named",
           replace=(('print(f"selected {name} ({engine}): ', 'print(f"selected {name}: '),), hint="name the engine"),
    Mutant("select_backend", "choice not printed",
           replace=(('        print(f"selected {name}', '        (f"selected {name}'),), hint="print the choice"),
    Mutant("select_backend", "prefer not checked against the options",
           replace=(("if not isinstance(prefer, str) or prefer.lower() not in PREFERENCES:", "if not isinstance(prefer, str):"),),
           hint="prefer is one of"),
    Mutant("select_backend", "the CPU's setters skipped (the CPU is the default)",
           replace=(("        net.setPreferableBackend(backend)\n        net.setPreferableTarget(target)\n",
                     "        if target != cv2.dnn.DNN_TARGET_CPU:  # the CPU is the default\n"
                     "            net.setPreferableBackend(backend)\n"
                     "            net.setPreferableTarget(target)\n"),),
           hint="never count on a default"),
    Mutant("select_backend", "the CPU option only resets the target, the backend of a failed option stays",
           replace=(("        net.setPreferableBackend(backend)\n",
                     "        if target != cv2.dnn.DNN_TARGET_CPU:  # the CPU target is enough\n"
                     "            net.setPreferableBackend(backend)\n"),),
           hint="never count on a default"),
    # benchmark
    Mutant("benchmark", "first call averaged into the latency",
           replace=((_TIMING, "times = [timed_call(blob) for _ in range(repeats + 1)]\n"
                              "        first, latency = times[0], float(np.mean(times))"),),
           hint="first call was included"),
    Mutant("benchmark", "first call not timed (an untimed warm-up)",
           replace=(("first = timed_call(blob)", "timed_call(blob)\n        first = 0.0"),), hint="not timed apart"),
    Mutant("benchmark", "batch size ignored: one image per call",
           replace=(("blob = rng.random((n, *input_shape)", "blob = rng.random((1, *input_shape)"),),
           hint="batch size was not used"),
    Mutant("benchmark", "throughput as calls per second",
           replace=(('"throughput": n / latency', '"throughput": 1 / latency'),), hint="images per second"),
    Mutant("benchmark", "empty batch_sizes accepted",
           replace=(("if not batch_sizes:", "if False:"),), hint="no batch size"),
    Mutant("benchmark", "latency as the mean of the repeats",
           replace=(("latency = float(np.median(", "latency = float(np.mean("),), hint="not their median"),
    Mutant("benchmark", "times in seconds, not milliseconds",
           replace=(('"first_ms": 1e3 * first, "latency_ms": 1e3 * latency', '"first_ms": first, "latency_ms": latency'),),
           hint="in seconds"),
    Mutant("benchmark", "latency as the fastest repeat",
           replace=(("latency = float(np.median(", "latency = float(np.min("),), hint="fastest call"),
    Mutant("benchmark", "repeats ignored: always ten timed calls",
           replace=(("for _ in range(repeats)", "for _ in range(10)"),), hint="1 + repeats"),
    Mutant("benchmark", "float64 blobs",
           replace=(("blob = rng.random((n, *input_shape), dtype=np.float32)", "blob = rng.random((n, *input_shape))"),),
           hint="float32"),
]

CORRECT = [
    Variant("export_onnx", "auto_pad, a Reshape to [0, -1], W2.T with transB=1, opset 17, an unnamed batch, a helper",
            source='''\
def _initializer(name, array):
    return numpy_helper.from_array(np.ascontiguousarray(array, dtype=np.float32), name)


def export_onnx(params, path):
    """Write lesson 07's network as an ONNX graph: same network, other encodings."""
    if not isinstance(params, Mapping):
        raise ValueError("params must be a mapping")
    for name in ("W1", "b1", "W2", "b2", "W3", "b3"):
        if name not in params:
            raise ValueError(f"params has no {name}")
    W1, b1, W2, b2, W3, b3 = (np.array(params[k], dtype=np.float32) for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    if W1.ndim != 4 or W1.shape[2] != W1.shape[3] or W1.shape[2] % 2 != 1:
        raise ValueError(f"W1 must be (K, C, F, F) with F odd, got {W1.shape}")
    if W2.ndim != 2 or W3.ndim != 2:
        raise ValueError("W2 and W3 must be matrices")
    K, C, F, _ = W1.shape
    half = math.isqrt(W2.shape[0] // K)
    if half < 1 or K * half * half != W2.shape[0]:
        raise ValueError(f"W2's {W2.shape[0]} rows are not K * (H/2) * (W/2) for a square input")
    if b1.shape != (K,) or b2.shape != (W2.shape[1],) or W3.shape[0] != W2.shape[1] or b3.shape != (W3.shape[1],):
        raise ValueError("the biases and W3 do not fit W1 and W2")
    path = Path(path)
    if not path.parent.is_dir():
        raise ValueError(f"{path.parent} does not exist")
    nodes = [
        helper.make_node("Conv", ["input", "W1", "b1"], ["c1"], auto_pad="SAME_UPPER", kernel_shape=[F, F]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Reshape", ["p1", "flat_shape"], ["flat"]),
        helper.make_node("Gemm", ["flat", "W2t", "b2"], ["h"], transB=1),
        helper.make_node("Relu", ["h"], ["hr"]),
        helper.make_node("Gemm", ["hr", "W3", "b3"], ["scores"]),
        helper.make_node("Softmax", ["scores"], ["prob"], axis=1),
    ]
    weights = [_initializer("W1", W1), _initializer("b1", b1), _initializer("W2t", W2.T), _initializer("b2", b2),
               _initializer("W3", W3), _initializer("b3", b3),
               numpy_helper.from_array(np.array([0, -1], dtype=np.int64), "flat_shape")]
    graph = helper.make_graph(nodes, "digits",
                              [helper.make_tensor_value_info("input", TensorProto.FLOAT, [None, C, 2 * half, 2 * half])],
                              [helper.make_tensor_value_info("prob", TensorProto.FLOAT, [None, W3.shape[1]])], weights)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, str(path))
    return path
'''),
    Variant("export_onnx", "MatMul and Add instead of Gemm, explicit pads as a list, shapes checked in a table",
            source='''\
def export_onnx(params, path):
    """Write lesson 07's network as an ONNX graph, with MatMul + Add for the fully connected layers."""
    keys = ["W1", "b1", "W2", "b2", "W3", "b3"]
    if not isinstance(params, Mapping) or any(k not in params for k in keys):
        raise ValueError(f"params must be a mapping with {keys}")
    arrays = {k: np.asarray(params[k]).astype(np.float32) for k in keys}
    W1 = arrays["W1"]
    if W1.ndim != 4:
        raise ValueError("W1 must be 4-D")
    K, C, F, F2 = W1.shape
    if F != F2 or F % 2 == 0:
        raise ValueError("the filters must be square and odd")
    if arrays["W2"].ndim != 2:
        raise ValueError("W2 must be 2-D")
    R, hidden = arrays["W2"].shape
    side = 2 * int(round(math.sqrt(R / K)))
    if side == 0 or K * (side // 2) ** 2 != R:
        raise ValueError("W2's rows do not fit a square input")
    if arrays["W3"].ndim != 2:
        raise ValueError("W3 must be 2-D")
    M = arrays["W3"].shape[1]
    expected = {"b1": (K,), "b2": (hidden,), "W3": (hidden, M), "b3": (M,)}
    for k, shape in expected.items():
        if arrays[k].shape != shape:
            raise ValueError(f"{k} has shape {arrays[k].shape}, expected {shape}")
    folder = Path(path).parent
    if not folder.is_dir():
        raise ValueError(f"no folder {folder}")
    p = (F - 1) // 2
    nodes = [
        helper.make_node("Conv", ["input", "W1", "b1"], ["conv"], kernel_shape=[F, F], pads=[p] * 4),
        helper.make_node("Relu", ["conv"], ["relu"]),
        helper.make_node("MaxPool", ["relu"], ["pool"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["pool"], ["flat"], axis=1),
        helper.make_node("MatMul", ["flat", "W2"], ["fc1_mm"]),
        helper.make_node("Add", ["fc1_mm", "b2"], ["fc1"]),
        helper.make_node("Relu", ["fc1"], ["hidden"]),
        helper.make_node("MatMul", ["hidden", "W3"], ["fc2_mm"]),
        helper.make_node("Add", ["fc2_mm", "b3"], ["scores"]),
        helper.make_node("Softmax", ["scores"], ["prob"], axis=1),
    ]
    graph = helper.make_graph(
        nodes, "digits_cnn", [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", C, side, side])],
        [helper.make_tensor_value_info("prob", TensorProto.FLOAT, ["N", M])],
        [numpy_helper.from_array(arrays[k], k) for k in keys])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, str(path))
    return Path(path)
'''),
    Variant("select_backend", "max_abs_diff a NumPy float32, options in a list of tuples, casefold",
            source='''\
OPTIONS = [("CUDA", cv2.dnn.DNN_BACKEND_CUDA, cv2.dnn.DNN_TARGET_CUDA, "CUDA/CUDA"),
           ("OpenCL", cv2.dnn.DNN_BACKEND_OPENCV, cv2.dnn.DNN_TARGET_OPENCL, "OCV/OCL"),
           ("CPU", cv2.dnn.DNN_BACKEND_OPENCV, cv2.dnn.DNN_TARGET_CPU, "OCV/CPU")]
START = {"cuda": 0, "opencl": 1, "cpu": 2}


def select_backend(net, prefer="cuda", input_shape=None):
    """Choose the fastest option that really runs the network; max_abs_diff stays a NumPy float32."""
    if not isinstance(net, cv2.dnn.Net):
        raise ValueError("net must be a cv2.dnn.Net")
    if not isinstance(prefer, str) or prefer.casefold() not in START:
        raise ValueError(f"prefer must be cuda, opencl or cpu, not {prefer!r}")
    facts = net_facts(net)
    if input_shape is None:
        if facts is None:
            raise ValueError("give input_shape: this network's input shape is not known")
        input_shape = facts.input_shape
    if not isinstance(input_shape, tuple) or len(input_shape) != 3 or not all(
            isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n >= 1 for n in input_shape):
        raise ValueError(f"input_shape must be three integers >= 1, got {input_shape!r}")
    if facts is not None and tuple(input_shape) != tuple(facts.input_shape):
        raise ValueError(f"input_shape {input_shape} is not the declared {facts.input_shape}")
    blob = np.random.default_rng(1).random((1, *input_shape)).astype(np.float32)
    net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
    net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
    net.setInput(blob)
    try:
        with quiet_opencv():
            reference = np.array(net.forward())
    except cv2.error as error:
        raise ValueError(f"the network cannot run inputs of shape {blob.shape}: {error}") from None
    engine = facts.engine if facts else "unknown engine"
    for name, backend, target, label in OPTIONS[START[prefer.casefold()]:]:
        if target not in cv2.dnn.getAvailableTargets(backend):
            print(f"{name} skipped:", cuda_unavailable_reason() if name == "CUDA" else "no such target here")
            continue
        try:  # a CUDA build without a usable GPU refuses at the setter, a build without CUDA at forward
            net.setPreferableBackend(backend)
            net.setPreferableTarget(target)
            net.setInput(blob)
            with quiet_opencv():
                out = np.array(net.forward())
        except cv2.error:
            print(f"{name} failed")
            continue
        ran = layer_devices(net)
        diff = np.abs(out - reference).max()  # a NumPy float32
        if (name == "CPU" or ran[label] > 0) and diff <= 1e-3:
            print(f"{name} chosen on {engine}: {ran[label]} layer groups on {label}, max diff {diff:.2g}")
            return {"name": name, "backend": backend, "target": target, "max_abs_diff": diff}
        print(f"{name} rejected: {dict(ran)}, max diff {diff:.2g}")
    raise RuntimeError("the CPU option always runs")
'''),
    Variant("benchmark", "from time import perf_counter_ns, statistics.median, a helper per batch size",
            source='''\
from time import perf_counter_ns
import statistics


def _time_one(net, blob):
    start = perf_counter_ns()
    net.setInput(blob)
    net.forward()
    return (perf_counter_ns() - start) / 1e6  # milliseconds


def benchmark(net, batch_sizes, input_shape=(1, 8, 8), repeats=10):
    """Latency and throughput for each batch size, the first call timed apart (times in ns, then ms)."""
    if not hasattr(net, "setInput") or not hasattr(net, "forward"):
        raise ValueError("net needs setInput and forward")
    if isinstance(batch_sizes, (str, bytes)):
        raise ValueError("batch_sizes must be a sequence of integers")
    try:
        sizes = list(batch_sizes)
    except TypeError:
        raise ValueError("batch_sizes must be a sequence of integers") from None
    if not sizes or any(isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1 for n in sizes):
        raise ValueError(f"batch_sizes must hold integers >= 1, got {batch_sizes!r}")
    shape = tuple(input_shape) if isinstance(input_shape, (tuple, list)) else ()
    if len(shape) != 3 or any(isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1 for n in shape):
        raise ValueError(f"input_shape must be (C, H, W) with each >= 1, got {input_shape!r}")
    if isinstance(repeats, bool) or not isinstance(repeats, (int, np.integer)) or repeats < 1:
        raise ValueError("repeats must be an integer >= 1")
    rng = np.random.default_rng(7)
    rows = []
    for n in sizes:
        blob = rng.standard_normal((int(n), *shape)).astype(np.float32)
        first_ms = _time_one(net, blob)
        latency_ms = statistics.median(_time_one(net, blob) for _ in range(repeats))
        rows.append({"batch_size": int(n), "first_ms": first_ms, "latency_ms": latency_ms,
                     "throughput": int(n) * 1000 / latency_ms})
    return rows
'''),
]

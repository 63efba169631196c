"""Wrong implementations of lesson 09 (OpenCV DNN inference)."""
from course_catalogue import Mutant

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
]

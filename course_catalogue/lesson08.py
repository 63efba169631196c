"""Wrong and correct implementations of lesson 08 (AlexNet and VGG16 by the numbers)."""
from course_catalogue import Mutant, Variant

LESSON = "08_memory_accounting"

_ACTIVATIONS = 'math.prod(shape) if kind in ("conv", "pool", "fc") else 0'
_CONV_MACS = "macs = depth * sizes[0] * sizes[1] * size * size * channels"
_FC = "params, macs, shape = (inputs + 1) * units, inputs * units, (units,)"
_AXES = 'for axis, n in (("height", height), ("width", width)):'
_WINDOW_CHECK = "if size > n + 2 * pad:"
_WHOLE_CHECK = "if (n - size + 2 * pad) % stride:"
_PAD = 'pad = require_int(spec.get("pad", 0), f"{name}: pad", 0)'
_COUNT = 'counts[kind] = counts.get(kind, 0) + 1'
_INPUTS = "inputs = batch_size * math.prod(input_shape)"
_BYTES_CHECK = 'bytes_per_value = require_int(bytes_per_value, "bytes_per_value", 1)'
_FIT = "return max(0, int((memory_bytes - fixed) // per_image))"
_MEMORY_CHECK = (
    "if isinstance(memory_bytes, bool) or not isinstance(memory_bytes, numbers.Real) "
    "or not 0 <= memory_bytes < math.inf:"
)

MUTANTS = [
    # layer_stats
    Mutant("layer_stats", "biases forgotten",
           replace=(("params = (size * size * channels + 1) * depth", "params = size * size * channels * depth"),
                    (_FC, "params, macs, shape = inputs * units, inputs * units, (units,)")),
           hint="biases were forgotten"),
    Mutant("layer_stats", "pooling activations dropped",
           replace=((_ACTIVATIONS, 'math.prod(shape) if kind in ("conv", "fc") else 0'),),
           hint="pooling layers' activations were dropped"),
    Mutant("layer_stats", "ReLU, dropout and softmax counted as new activations",
           replace=((_ACTIVATIONS, "math.prod(shape)"),), hint="in place"),
    Mutant("layer_stats", "padding ignored in the output size",
           replace=(("sizes.append((n - size + 2 * pad) // stride + 1)", "sizes.append((n - size) // stride + 1)"),
                    (_WHOLE_CHECK, "if (n - size) % stride:")),
           hint="padding was ignored"),
    Mutant("layer_stats", "padding read for conv layers only (pooling never padded)",
           replace=((_PAD, _PAD + ' if kind == "conv" else 0'),), hint="padding was ignored"),
    Mutant("layer_stats", "stride ignored in the output size",
           replace=(("sizes.append((n - size + 2 * pad) // stride + 1)", "sizes.append(n - size + 2 * pad + 1)"),),
           hint="stride"),
    Mutant("layer_stats", "pool stride defaults to 1",
           replace=(("1 if kind == \"conv\" else size", "1"),), hint="stride defaults to its size"),
    Mutant("layer_stats", "square inputs assumed: the output width computed from the height",
           replace=((_AXES, 'for axis, n in (("height", height), ("width", height)):'),),
           hint="width was computed from the height"),
    Mutant("layer_stats", "window and whole-number checks on the height only",
           replace=((_WINDOW_CHECK, 'if axis == "height" and size > n + 2 * pad:'),
                    (_WHOLE_CHECK, 'if axis == "height" and (n - size + 2 * pad) % stride:')),
           hint="check the width as well"),
    Mutant("layer_stats", "multiply-adds counted for pooling",
           replace=(('            if kind == "conv":\n                params',
                     '            macs = math.prod(shape) * size * size\n            if kind == "conv":\n                params'),),
           hint="multiply-adds were counted for a pooling layer"),
    Mutant("layer_stats", "bias counted as a multiply-add in the conv layers",
           replace=((_CONV_MACS, "macs = depth * sizes[0] * sizes[1] * (size * size * channels + 1)"),),
           hint="bias was counted as a multiply-add in the conv layers"),
    Mutant("layer_stats", "bias counted as a multiply-add in the fc layers",
           replace=((_FC, "params, macs, shape = (inputs + 1) * units, (inputs + 1) * units, (units,)"),),
           hint="bias was counted as a multiply-add in the fc layers"),
    Mutant("layer_stats", "conv multiply-adds without the input channels",
           replace=((_CONV_MACS, "macs = depth * sizes[0] * sizes[1] * size * size"),), hint="all channels included"),
    Mutant("layer_stats", "fc layer not flattened (only the channels seen)",
           replace=(("inputs = math.prod(shape)", "inputs = shape[0]"),), hint="flattened input"),
    Mutant("layer_stats", "output depth of a conv left at the input depth",
           replace=(('depth = require_int(spec["filters"], f"{name}: filters", 1) if kind == "conv" else channels',
                     'depth = channels'),),
           hint="number of filters"),
    Mutant("layer_stats", "default names numbered by position",
           replace=(('name = spec.get("name", f"{kind}{counts[kind]}")', 'name = spec.get("name", f"{kind}{index}")'),),
           hint="counting from 1"),
    Mutant("layer_stats", "counts kept between calls (a mutable default argument)",
           replace=(("def layer_stats(arch, input_shape):", "def layer_stats(arch, input_shape, counts={}):"),
                    ("rows, counts = [], {}", "rows = []")),
           hint="counts of an earlier call were kept"),
    Mutant("layer_stats", "non-integral output size floored",
           replace=((_WHOLE_CHECK, "if False:"),), hint="instead of raising"),
    Mutant("layer_stats", "unknown layer types accepted",
           replace=(("if kind not in LAYER_TYPES:", "if False:"),), hint="instead of raising"),
    Mutant("layer_stats", "only the number of channels of the input checked",
           replace=(('shape = tuple(require_int(n, "each input dimension", 1) for n in input_shape)',
                     'shape = (require_int(input_shape[0], "C", 1), *input_shape[1:])'),),
           hint="input width of 0"),
    Mutant("layer_stats", "spec written into (setdefault)",
           replace=(('name = spec.get("name", f"{kind}{counts[kind]}")',
                     'name = spec.setdefault("name", f"{kind}{counts[kind]}")'),),
           hint="changed its arch argument"),
    # network_summary
    Mutant("network_summary", "input counted as an activation",
           replace=(('activations = batch_size * sum(row["activations"] for row in rows)',
                     'activations = batch_size * (sum(row["activations"] for row in rows) + math.prod(input_shape))'),),
           hint="input was counted as an activation"),
    Mutant("network_summary", "training memory without the weight gradients",
           replace=(("3 * params", "2 * params"),), hint="three copies of the parameters"),
    Mutant("network_summary", "training memory without the activation gradients",
           replace=(("inputs + 2 * activations", "inputs + activations"),), hint="gradient of every activation"),
    Mutant("network_summary", "batch size ignored for the activations",
           replace=(("activations = batch_size * sum(", "activations = sum("),), hint="batch size was ignored"),
    Mutant("network_summary", "batch size ignored for the multiply-adds",
           replace=(('"macs": batch_size * sum(', '"macs": sum('),), hint="batch size was ignored"),
    Mutant("network_summary", "bytes_per_value ignored (always float32)",
           replace=(('"forward_bytes": bytes_per_value * (', '"forward_bytes": 4 * ('),
                    ('"training_bytes": bytes_per_value * (', '"training_bytes": 4 * (')),
           hint="bytes_per_value was ignored"),
    Mutant("network_summary", "weights left out of the forward memory",
           replace=(("bytes_per_value * (params + inputs + activations)", "bytes_per_value * (inputs + activations)"),),
           hint="weights were left out"),
    Mutant("network_summary", "input batch not stored",
           replace=((_INPUTS, "inputs = 0"),), hint="input batch was not counted"),
    Mutant("network_summary", "input of one image stored, whatever the batch",
           replace=((_INPUTS, "inputs = math.prod(input_shape)"),), hint="input of only one image"),
    Mutant("network_summary", "parameters stored once per image",
           replace=(("3 * params + inputs", "3 * params * batch_size + inputs"),), hint="once per image"),
    Mutant("network_summary", "parameters counted once per image in params",
           replace=(('"params": params,', '"params": batch_size * params,'),), hint="counted once per image"),
    Mutant("network_summary", "batch size not checked",
           replace=(('batch_size = require_int(batch_size, "batch_size", 1)', "pass"),),
           hint="the batch size must be"),
    Mutant("network_summary", "batch size checked for its sign only",
           replace=(('batch_size = require_int(batch_size, "batch_size", 1)',
                     'if batch_size < 1:\n        raise ValueError(f"batch_size must be >= 1, got {batch_size}")'),),
           hint="whole number"),
    Mutant("network_summary", "bytes_per_value not checked",
           replace=((_BYTES_CHECK, "pass"),), hint="at least one byte"),
    # max_batch_size
    Mutant("max_batch_size", "a batch that fills the memory exactly rejected",
           replace=((_FIT, "return max(0, int((memory_bytes - fixed - 1) // per_image))"),), hint="exactly"),
    Mutant("max_batch_size", "rounded up",
           replace=((_FIT, "return max(0, int(-(-(memory_bytes - fixed) // per_image)))"),), hint="does not fit"),
    Mutant("max_batch_size", "forward memory instead of training memory",
           replace=(('["training_bytes"]', '["forward_bytes"]'),), hint="training memory"),
    Mutant("max_batch_size", "negative result when nothing fits",
           replace=((_FIT, "return int((memory_bytes - fixed) // per_image)"),), hint="return 0"),
    Mutant("max_batch_size", "parameters counted per image",
           replace=((_FIT, "return max(0, int(memory_bytes // one))"),), hint="stored once for the batch"),
    Mutant("max_batch_size", "bytes_per_value not passed on to network_summary",
           replace=(("network_summary(arch, input_shape, 1, bytes_per_value)", "network_summary(arch, input_shape, 1)"),
                    ("network_summary(arch, input_shape, 2, bytes_per_value)", "network_summary(arch, input_shape, 2)")),
           hint="bytes_per_value was ignored"),
    Mutant("max_batch_size", "memory size not checked",
           replace=((_MEMORY_CHECK, "if False:"),), hint="instead of raising"),
    Mutant("max_batch_size", "True accepted as a memory size (bool is an int)",
           replace=((_MEMORY_CHECK, "if not isinstance(memory_bytes, numbers.Real) or not 0 <= memory_bytes < math.inf:"),),
           hint="True is not a memory size"),
    Mutant("max_batch_size", "a float returned for a float memory size",
           replace=((_FIT, "return max(0, (memory_bytes - fixed) // per_image)"),), hint="return an int"),
]

CORRECT = [
    Variant("layer_stats", "a helper per layer kind, NumPy integers everywhere (np.divmod, np.prod)", source='''\
LAYER_TYPES = ("conv", "pool", "fc", "relu", "dropout", "softmax")
REQUIRED_KEYS = {"conv": ("filters", "size"), "pool": ("size",), "fc": ("units",)}


def _output_sizes(name, spatial, size, stride, pad):
    """H' and W' as NumPy int64, or a ValueError naming the axis that does not fit."""
    span = np.asarray(spatial, dtype=np.int64) + 2 * pad - size
    steps, rest = np.divmod(span, stride)
    for axis, extent, left, remainder in zip(("height", "width"), spatial, span, rest):
        if left < 0:
            raise ValueError(f"{name}: a {size}x{size} window does not fit the {axis} {extent} padded by {pad}")
        if remainder:
            raise ValueError(f"{name}: the output {axis} ({extent} - {size} + 2*{pad})/{stride} + 1 is not whole")
    return steps + 1


def _conv_or_pool(kind, name, spec, shape):
    if len(shape) != 3:
        raise ValueError(f"{name}: a {kind} layer needs a (C, H, W) volume, not {shape}")
    size = require_int(spec["size"], f"{name} size", 1)
    stride = require_int(spec.get("stride", 1 if kind == "conv" else size), f"{name} stride", 1)
    pad = require_int(spec.get("pad", 0), f"{name} pad", 0)
    height, width = _output_sizes(name, shape[1:], size, stride, pad)
    if kind == "pool":
        return (shape[0], height, width), np.int64(0), np.int64(0)
    filters = np.int64(require_int(spec["filters"], f"{name} filters", 1))
    fan_in = np.int64(size) * size * shape[0]
    return (filters, height, width), (fan_in + 1) * filters, filters * height * width * fan_in


def _fc(kind, name, spec, shape):
    units = np.int64(require_int(spec["units"], f"{name} units", 1))
    inputs = np.prod(shape, dtype=np.int64)
    return (units,), (inputs + 1) * units, inputs * units


def _in_place(kind, name, spec, shape):
    return shape, np.int64(0), np.int64(0)


_HANDLERS = {"conv": _conv_or_pool, "pool": _conv_or_pool, "fc": _fc}


def layer_stats(arch, input_shape):
    """Rows of layer statistics, computed by one helper per kind of layer."""
    if type(input_shape) is not tuple or len(input_shape) != 3:
        raise ValueError(f"input_shape must be a tuple (C, H, W), got {input_shape!r}")
    shape = tuple(np.int64(require_int(n, "an input dimension", 1)) for n in input_shape)
    rows, seen = [], {kind: 0 for kind in LAYER_TYPES}
    for position, spec in enumerate(arch):
        if not isinstance(spec, dict) or spec.get("type") not in LAYER_TYPES:
            raise ValueError(f"layer {position} is not a dict with a type from {LAYER_TYPES}: {spec!r}")
        kind = spec["type"]
        seen[kind] += 1
        name = spec.get("name", kind + str(seen[kind]))
        for key in REQUIRED_KEYS.get(kind, ()):
            if key not in spec:
                raise ValueError(f"{name} lacks the key {key!r}")
        shape, params, macs = _HANDLERS.get(kind, _in_place)(kind, name, spec, shape)
        stored = np.prod(shape, dtype=np.int64) if kind in _HANDLERS else np.int64(0)
        rows.append(dict(name=name, type=kind, output_shape=tuple(shape), activations=stored, params=params, macs=macs))
    return rows
'''),
    Variant("network_summary", "column sums of a NumPy int64 table, the dict built by a comprehension", source='''\
def network_summary(arch, input_shape, batch_size=1, bytes_per_value=4):
    """Totals for one batch, as NumPy int64 scalars."""
    table = np.array([[row["params"], row["activations"], row["macs"]] for row in layer_stats(arch, input_shape)],
                     dtype=np.int64).reshape(-1, 3)
    batch = np.int64(require_int(batch_size, "batch_size", 1))
    value_bytes = require_int(bytes_per_value, "bytes_per_value", 1)
    params, per_image, macs = table.sum(axis=0)
    inputs = batch * np.prod(input_shape, dtype=np.int64)
    values = {"forward": params + inputs + batch * per_image, "training": 3 * params + inputs + 2 * batch * per_image}
    return {"params": params, "activations": batch * per_image, "macs": batch * macs,
            **{f"{part}_bytes": value_bytes * count for part, count in values.items()}}
'''),
    Variant("max_batch_size", "doubling then bisection on network_summary (never one by one), math.isfinite", source='''\
def max_batch_size(arch, input_shape, memory_bytes, bytes_per_value=4):
    """The largest batch that fits, found by doubling and bisection."""
    if isinstance(memory_bytes, bool) or not isinstance(memory_bytes, numbers.Real):
        raise ValueError(f"memory_bytes must be a number of bytes, got {memory_bytes!r}")
    if not math.isfinite(memory_bytes) or memory_bytes < 0:
        raise ValueError(f"memory_bytes must be finite and >= 0, got {memory_bytes!r}")

    def fits(batch):
        return network_summary(arch, input_shape, batch, bytes_per_value)["training_bytes"] <= memory_bytes

    if not fits(1):
        return 0
    low, high = 1, 2
    while fits(high):
        low, high = high, 2 * high
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return low
'''),
]

"""The classic networks lesson 09 builds as ONNX graphs: their layers, sizes and parameter counts."""
from __future__ import annotations

import onnx
import pytest
from onnx import shape_inference

from cnncourse.onnx_zoo import ALEXNET, ALEXNET_INPUT, count_parameters, googlenet, model_from_arch


def _spatial_sizes(model: onnx.ModelProto) -> dict[str, int]:
    inferred = shape_inference.infer_shapes(model)
    return {value.name: value.type.tensor_type.shape.dim[-1].dim_value
            for value in inferred.graph.value_info if len(value.type.tensor_type.shape.dim) == 4}


def test_googlenet_pools_round_up_as_caffe_and_keep_its_names():
    model = googlenet()
    onnx.checker.check_model(model)
    sizes = _spatial_sizes(model)
    assert [sizes[name] for name in ("conv1/7x7_s2", "pool1/3x3_s2", "pool2/3x3_s2", "inception_3a/output",
                                     "pool3/3x3_s2", "pool4/3x3_s2", "inception_5b/output")] == [112, 56, 28, 28, 14, 7, 7]
    assert model.graph.output[0].name == "prob"
    assert count_parameters(model) == 6_998_552


def test_googlenet_with_fewer_modules_and_bad_counts():
    assert _spatial_sizes(googlenet(2))["inception_3b/output"] == 28
    with pytest.raises(ValueError, match="modules must be 1..9"):
        googlenet(0)


def test_alexnet_has_lesson_08s_parameter_count():
    assert count_parameters(model_from_arch(ALEXNET, ALEXNET_INPUT)) == 62_378_344

"""The check process's own rules (keras_seqlayers/serving/probe.py): op
rules and TF Serving's REST conversions, JSON to arrays and back."""

import base64
import json

import numpy as np
import pytest

from keras_seqlayers import serving


def test_op_problems_accepts_core_and_tensorflow_text_only():
    problems = serving.op_problems(
        [
            "MatMul",
            "StatelessWhile",
            "TFText>WhitespaceTokenizeWithOffsetsV2",
            "RegexSplitWithOffsets",
            "Addons>MyCustomOp",
            "CudnnRNN",
            "PyFunc",
        ]
    )
    assert len(problems) == 3
    assert "Addons>MyCustomOp is neither" in problems[0]
    assert "CudnnRNN cannot run" in problems[1]
    assert "PyFunc cannot run" in problems[2]


def test_rest_inputs_convert_to_signature_dtypes():
    spec = {
        "ids": {"dtype": "int32", "shape": [-1, -1]},
        "text": {"dtype": "string", "shape": [-1]},
    }
    body = {
        "instances": [
            {"ids": [1, 2.0], "text": "héllo"},
            {"ids": [3, 4], "text": {"b64": base64.b64encode(b"\xff\x00").decode()}},
        ]
    }
    arrays, form = serving.rest_inputs(body, spec)
    assert form == "row"
    assert arrays["ids"].dtype == np.int32
    assert arrays["ids"].tolist() == [[1, 2], [3, 4]]
    assert arrays["text"].tolist() == ["héllo".encode(), b"\xff\x00"]
    with pytest.raises(ValueError, match="expected an integer"):
        serving.rest_inputs({"instances": [{"ids": [1.5], "text": "a"}]}, spec)
    with pytest.raises(ValueError, match="missing inputs"):
        serving.rest_inputs({"instances": [{"ids": [1]}]}, spec)
    with pytest.raises(ValueError, match="different shapes"):
        serving.rest_inputs(
            {"instances": [{"ids": [1], "text": "a"}, {"ids": [1, 2], "text": "b"}]},
            spec,
        )
    with pytest.raises(ValueError, match="out of range"):
        serving.rest_inputs(
            {"instances": [[2**40]]}, {"ids": {"dtype": "int32", "shape": [-1, 1]}}
        )


def test_rest_response_forms():
    outputs = {
        "score": np.array([0.5, np.nan], "float32"),
        "tag_bytes": np.array([b"\x01", b"b"]),
    }
    response = serving.rest_response(outputs, "row", 2)
    # TF Serving writes NaN as the bare literal, as json.dumps does.
    assert json.dumps(response) == (
        '{"predictions": [{"score": 0.5, "tag_bytes": {"b64": "AQ=="}}, '
        '{"score": NaN, "tag_bytes": {"b64": "Yg=="}}]}'
    )
    with pytest.raises(ValueError, match="batch size 3"):
        serving.rest_response(outputs, "row", 3)
    assert serving.rest_response({"y": np.array([[1, 2]])}, "columnar", None) == {
        "outputs": [[1, 2]]
    }


def test_rest_inputs_reject_what_tf_serving_rejects():
    one = {"x": {"dtype": "float32", "shape": [-1, 2]}}
    two = {
        "a": {"dtype": "bool", "shape": [-1]},
        "s": {"dtype": "string", "shape": [-1]},
    }
    with pytest.raises(ValueError, match='"instances" must be a non-empty list'):
        serving.rest_inputs({"instances": []}, one)
    with pytest.raises(ValueError, match="each instance must be an object"):
        serving.rest_inputs({"instances": [[True, "a"]]}, two)
    with pytest.raises(ValueError, match="expected true/false"):
        serving.rest_inputs({"instances": [{"a": 1, "s": "x"}]}, two)
    with pytest.raises(ValueError, match=r"expected a string or \{'b64'"):
        serving.rest_inputs({"instances": [{"a": True, "s": 3}]}, two)
    with pytest.raises(ValueError, match="expected a number for float32"):
        serving.rest_inputs({"instances": [["1", 2]]}, one)
    with pytest.raises(ValueError, match="ragged lists cannot make a tensor"):
        serving.rest_inputs({"inputs": {"x": [[1, 2], [3]]}}, one)
    with pytest.raises(ValueError, match=r'"inputs" must be an object with keys'):
        serving.rest_inputs({"inputs": [True]}, two)
    with pytest.raises(ValueError, match=r'"inputs" is missing'):
        serving.rest_inputs({"inputs": {"a": [True]}}, two)
    arrays, form = serving.rest_inputs({"inputs": [[1, 2]]}, one)
    assert form == "columnar"
    assert arrays["x"].dtype == np.float32


@pytest.mark.parametrize(
    "value",
    [[["a", "b"], ["c"]], [["a"], "b"]],
    ids=["ragged-rows", "list-beside-string"],
)
def test_ragged_string_lists_cannot_make_a_tensor(value):
    spec = {"s": {"dtype": "string", "shape": [-1, -1]}}
    with pytest.raises(
        ValueError, match=r"inputs\['s'\]: ragged lists cannot make a tensor"
    ):
        serving.rest_inputs({"inputs": {"s": value}}, spec)

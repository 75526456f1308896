"""REST input conversion: ragged string lists are rejected like numeric ones."""

import pytest

from keras_seqlayers import serving


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

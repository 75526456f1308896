"""Bad constructor arguments and input shapes of the recurrent layers."""

import pytest

from keras_seqlayers.layers import GRU, LSTM, GRUCell, SimpleRNN, SimpleRNNCell


@pytest.mark.parametrize("cls", [SimpleRNNCell, GRUCell, SimpleRNN, LSTM])
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"dropout": "0.1"},
            r"`dropout` must be a float in \[0, 1\); received dropout='0.1'",
        ),
        (
            {"recurrent_dropout": True},
            r"`recurrent_dropout` must be a float in \[0, 1\); "
            r"received recurrent_dropout=True",
        ),
        ({"seed": 1.5}, r"`seed` must be an integer or None; received 1.5"),
        ({"seed": False}, r"`seed` must be an integer or None; received False"),
    ],
)
def test_bad_argument_types(cls, kwargs, match):
    with pytest.raises(TypeError, match=match):
        cls(3, **kwargs)


@pytest.mark.parametrize("cls", [SimpleRNN, GRU, LSTM])
def test_unknown_feature_size(cls):
    with pytest.raises(
        ValueError,
        match=rf"{cls.__name__} needs a known feature size \(last dimension\); "
        r"received input shape \(None, 5, None\)",
    ):
        cls(3).build((None, 5, None))

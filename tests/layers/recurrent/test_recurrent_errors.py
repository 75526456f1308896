"""Bad constructor arguments and input shapes of the recurrent layers."""

import re

import keras
import numpy as np
import pytest

from keras_seqlayers.layers import (
    GRU,
    LSTM,
    Bidirectional,
    DeepRNN,
    GRUCell,
    LSTMCell,
    SimpleRNN,
    SimpleRNNCell,
)


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
        ({"seed": 1.5}, r"`seed` must be an integer or None; received seed=1.5"),
        ({"seed": False}, r"`seed` must be an integer or None; received seed=False"),
    ],
)
def test_bad_argument_types(cls, kwargs, match):
    with pytest.raises(TypeError, match=match):
        cls(3, **kwargs)


@pytest.mark.parametrize("cls", [SimpleRNN, GRU, LSTM])
def test_unknown_feature_size(cls):
    with pytest.raises(
        ValueError,
        match=rf"{cls.__name__} needs a known feature size.*\(None, 5, None\)",
    ):
        cls(3).build((None, 5, None))


@pytest.mark.parametrize(
    ("cls", "argument"),
    [
        (GRUCell, "reset_after"),
        (GRU, "reset_after"),
        (LSTMCell, "unit_forget_bias"),
        (LSTM, "unit_forget_bias"),
        (SimpleRNNCell, "use_bias"),
        (GRU, "use_bias"),
        (SimpleRNN, "return_sequences"),
        (GRU, "return_state"),
        (LSTM, "go_backwards"),
        (SimpleRNN, "stateful"),
    ],
)
@pytest.mark.parametrize("value", ["no", 0, 1, None])
def test_flags_must_be_bools(cls, argument, value):
    with pytest.raises(
        TypeError,
        match=rf"`{argument}` must be True or False.*"
        rf"{argument}={re.escape(repr(value))}",
    ):
        cls(3, **{argument: value})


@pytest.mark.parametrize("argument", ["return_sequences", "return_state"])
def test_deep_rnn_flags_must_be_bools(argument):
    with pytest.raises(
        TypeError,
        match=rf"`{argument}` must be True or False.*{argument}='yes'",
    ):
        DeepRNN([GRU(3), LSTM(3)], **{argument: "yes"})


def test_numpy_bools_are_accepted():
    layer = GRU(3, reset_after=np.True_, return_sequences=np.False_)
    assert layer.cell.reset_after is True
    assert layer.return_sequences is False


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: GRU(3), id="gru"),
        pytest.param(lambda: Bidirectional(LSTM(3)), id="bidirectional"),
        pytest.param(lambda: DeepRNN([SimpleRNN(3), GRU(2)]), id="deep"),
    ],
)
@pytest.mark.parametrize(
    "ids",
    [np.zeros((2, 5, 1), "int32"), [[[1], [2]]]],
    ids=["array", "nested_list"],
)
def test_integer_inputs_are_refused_before_building(make, ids):
    layer = make()
    name = type(layer).__name__
    with pytest.raises(ValueError, match=f"{name} expects float inputs"):
        layer(ids)
    assert not layer.built
    assert not layer.weights
    # The embedded ids the message asks for are then accepted.
    assert layer(np.zeros((2, 5, 8), "float32")).shape[0] == 2


@pytest.mark.parametrize("dtype", ["int32", "bool"])
@pytest.mark.parametrize("cls", [SimpleRNN, GRU, LSTM])
def test_initial_state_must_be_float(cls, dtype):
    layer = cls(4)
    states = [np.ones((2, 4), dtype)] * (2 if cls is LSTM else 1)
    with pytest.raises(
        ValueError, match=f"`initial_state` tensor must be float.*{dtype}"
    ):
        layer(np.zeros((2, 5, 3), "float32"), initial_state=states)


@pytest.mark.parametrize(
    ("make", "states"),
    [
        (lambda: GRU(4), 1),
        (lambda: Bidirectional(GRU(4)), 2),
        (lambda: DeepRNN([GRU(4)]), 1),
    ],
    ids=["gru", "bidirectional", "deep"],
)
def test_initial_state_dtype_is_checked_when_a_model_is_built(make, states):
    with pytest.raises(
        ValueError, match=r"`initial_state` tensor must be float.*int32"
    ):
        make()(
            keras.Input((5, 3)),
            initial_state=[keras.Input((4,), dtype="int32")] * states,
        )


@pytest.mark.parametrize(
    "make",
    [lambda: GRU(4), lambda: Bidirectional(GRU(4)), lambda: DeepRNN([GRU(4)])],
    ids=["gru", "bidirectional", "deep"],
)
def test_a_list_of_input_and_state_gets_the_rank_error(make):
    # The Keras 2 way of passing a state; a list of tensors is not one input.
    layer = make()
    with pytest.raises(ValueError, match="expects inputs of rank 3"):
        layer([keras.Input((5, 3)), keras.Input((4,))])

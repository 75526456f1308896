import keras
import numpy as np
import pytest

from keras_seqlayers.layers import LSTM, LSTMCell
from tests.harness import run_layer_test
from tests.layers.recurrent.keras_twins import compare_with_keras

RNG = np.random.default_rng(4)
X = RNG.normal(size=(3, 7, 4)).astype("float32")
MASK = np.arange(7)[None, :] < np.array([7, 4, 2])[:, None]


def _same_weights(weights, units):
    return weights


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"return_sequences": True, "return_state": True},
        {"go_backwards": True, "return_sequences": True},
    ],
)
@pytest.mark.parametrize("masked", [False, True])
def test_equals_keras_lstm_with_the_same_weights(options, masked):
    ours = LSTM(5, **options)
    theirs = keras.layers.LSTM(5, **options)
    ours(X)
    theirs(X)
    compare_with_keras(ours, theirs, _same_weights, X, mask=MASK if masked else None)


def test_weight_layout_and_unit_forget_bias():
    layer = LSTM(5)
    layer(X)
    kernel, recurrent_kernel, bias = layer.get_weights()
    assert (kernel.shape, recurrent_kernel.shape, bias.shape) == (
        (4, 20),
        (5, 20),
        (20,),
    )
    np.testing.assert_array_equal(bias[5:10], 1.0)
    np.testing.assert_array_equal(np.delete(bias, range(5, 10)), 0.0)
    plain = LSTM(5, unit_forget_bias=False)
    plain(X)
    np.testing.assert_array_equal(plain.get_weights()[2], 0.0)


def test_return_state_gives_distinct_output_and_memory():
    output, a, c = LSTM(5, return_state=True)(X)
    np.testing.assert_allclose(output, a)
    assert not np.allclose(a, c)
    # a = Γo * tanh(c) with Γo in (0, 1): |a| < |tanh(c)|.
    assert np.all(np.abs(a) <= np.abs(np.tanh(c)) + 1e-7)


def test_gate_activations_follow_the_equations():
    layer = LSTM(5)
    layer(X)
    gates = layer.gate_activations(X, mask=MASK)
    assert set(gates) == {"input", "forget", "output", "candidate", "cell"}
    cell = gates["cell"]
    previous = np.concatenate([np.zeros((3, 1, 5)), cell[:, :-1]], axis=1)
    expected = gates["input"] * gates["candidate"] + gates["forget"] * previous
    np.testing.assert_allclose(cell[MASK], expected[MASK], atol=1e-5)
    out = LSTM(5, return_sequences=True)
    out(X)
    out.set_weights(layer.get_weights())
    a = gates["output"] * np.tanh(cell)
    np.testing.assert_allclose(a[MASK], np.asarray(out(X, mask=MASK))[MASK], atol=1e-5)
    assert np.all(gates["forget"][~MASK] == 0)


def test_lstm_cell_runs_inside_keras_rnn():
    ours = keras.layers.RNN(LSTMCell(5))
    ours(X)
    layer = LSTM(5)
    layer(X)
    layer.set_weights(ours.get_weights())
    np.testing.assert_allclose(ours(X), layer(X), atol=1e-5)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"units": 6},
        {"units": 6, "return_sequences": True, "return_state": True},
    ],
)
def test_layer_harness(kwargs, tmp_path):
    expected = (3, 6)
    if kwargs.get("return_sequences"):
        expected = [(3, 7, 6), (3, 6), (3, 6)]
    run_layer_test(
        LSTM, kwargs, X, expected_output_shape=expected, mask=MASK, tmp_path=tmp_path
    )

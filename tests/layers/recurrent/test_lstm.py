import keras
import numpy as np
import pytest

from keras_seqlayers.layers import LSTM, LSTMCell
from tests.harness import run_layer_test
from tests.layers.recurrent.keras_twins import compare_with_keras
from tests.layers.recurrent.reference import lstm_step_with_gates, run_gates

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


@pytest.mark.parametrize("go_backwards", [False, True])
def test_gate_activations_follow_the_equations(go_backwards):
    layer = LSTM(5, go_backwards=go_backwards)
    layer(X)
    layer.set_weights([RNG.normal(size=w.shape) for w in layer.get_weights()])
    kernel, recurrent_kernel, bias = layer.get_weights()
    gates = layer.gate_activations(X, mask=MASK)
    expected = run_gates(
        lambda x, s: lstm_step_with_gates(x, s, kernel, recurrent_kernel, bias),
        X,
        [np.zeros((3, 5)), np.zeros((3, 5))],
        MASK,
        go_backwards,
    )
    names = {"input", "forget", "output", "candidate", "cell"}
    assert set(gates) == set(expected) == names
    for name, values in expected.items():
        np.testing.assert_allclose(gates[name], values, atol=1e-5, err_msg=name)
    # The gates make the layer's own outputs: a_t = Γo * tanh(c_t).
    out = LSTM(5, go_backwards=go_backwards, return_sequences=True)
    out(X)
    out.set_weights(layer.get_weights())
    a = np.asarray(out(X, mask=MASK))
    if go_backwards:
        a = np.flip(a, axis=1)  # outputs come in processing order
    expected_a = gates["output"] * np.tanh(gates["cell"])
    np.testing.assert_allclose(expected_a[MASK], a[MASK], atol=1e-5)


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

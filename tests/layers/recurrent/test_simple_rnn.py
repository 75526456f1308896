import keras
import numpy as np
import pytest

from keras_seqlayers.layers import SimpleRNN, SimpleRNNCell
from tests.harness import run_layer_test
from tests.layers.recurrent.keras_twins import compare_with_keras

RNG = np.random.default_rng(5)
X = RNG.normal(size=(3, 7, 4)).astype("float32")
MASK = np.arange(7)[None, :] < np.array([7, 4, 2])[:, None]


def _same_weights(weights, units):
    return weights


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"return_sequences": True, "return_state": True},
        {"go_backwards": True, "return_sequences": True, "activation": "relu"},
    ],
)
@pytest.mark.parametrize("masked", [False, True])
def test_equals_keras_simple_rnn_with_the_same_weights(options, masked):
    ours = SimpleRNN(5, **options)
    theirs = keras.layers.SimpleRNN(5, **options)
    ours(X)
    theirs(X)
    compare_with_keras(ours, theirs, _same_weights, X, mask=MASK if masked else None)


def test_weight_layout():
    layer = SimpleRNN(5, use_bias=False)
    layer(X)
    assert [w.shape for w in layer.get_weights()] == [(4, 5), (5, 5)]


def test_simple_rnn_cell_runs_inside_keras_rnn():
    ours = keras.layers.RNN(SimpleRNNCell(5))
    ours(X)
    layer = SimpleRNN(5)
    layer(X)
    layer.set_weights(ours.get_weights())
    np.testing.assert_allclose(ours(X), layer(X), atol=1e-5)


@pytest.mark.parametrize(
    "kwargs",
    [{"units": 6}, {"units": 6, "return_sequences": True, "use_bias": False}],
)
def test_layer_harness(kwargs, tmp_path):
    expected = (3, 7, 6) if kwargs.get("return_sequences") else (3, 6)
    run_layer_test(
        SimpleRNN,
        kwargs,
        X,
        expected_output_shape=expected,
        mask=MASK,
        tmp_path=tmp_path,
    )

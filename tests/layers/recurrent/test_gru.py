import keras
import numpy as np
import pytest

from keras_seqlayers.layers import GRU, GRUCell
from tests.harness import run_layer_test
from tests.layers.recurrent.keras_twins import compare_with_keras
from tests.layers.recurrent.reference import gru_step, run

RNG = np.random.default_rng(3)
X = RNG.normal(size=(3, 7, 4)).astype("float32")
MASK = np.arange(7)[None, :] < np.array([7, 4, 2])[:, None]


def _negate_update_block(weights, units):
    # Our update gate weighs the new state, Keras's z the old one:
    # σ(-a) = 1 - σ(a), so negating the update block maps one onto the other.
    mapped = [w.copy() for w in weights]
    for w in mapped:
        w[..., :units] *= -1
    return mapped


@pytest.mark.parametrize("reset_after", [False, True])
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"return_sequences": True, "return_state": True},
        {"go_backwards": True, "return_sequences": True},
    ],
)
@pytest.mark.parametrize("masked", [False, True])
def test_equals_keras_gru_with_update_block_negated(reset_after, options, masked):
    mask = MASK if masked else None
    ours = GRU(5, reset_after=reset_after, **options)
    theirs = keras.layers.GRU(5, reset_after=reset_after, **options)
    ours(X)
    theirs(X)
    compare_with_keras(ours, theirs, _negate_update_block, X, mask=mask)


def test_default_is_reset_before_and_weight_layout():
    layer = GRU(5)
    layer(X)
    assert layer.reset_after is False
    kernel, recurrent_kernel, bias = layer.get_weights()
    assert kernel.shape == (4, 15)
    assert recurrent_kernel.shape == (5, 15)
    assert bias.shape == (15,)
    layer = GRU(5, reset_after=True)
    layer(X)
    assert layer.get_weights()[2].shape == (2, 15)


@pytest.mark.parametrize("reset_after", [False, True])
def test_gate_activations_follow_the_equations(reset_after):
    layer = GRU(5, reset_after=reset_after)
    layer(X)
    layer.set_weights([RNG.normal(size=w.shape) for w in layer.get_weights()])
    kernel, recurrent_kernel, bias = layer.get_weights()
    gates = layer.gate_activations(X, mask=MASK)
    assert set(gates) == {"update", "reset", "candidate"}
    states, _ = run(
        lambda x, s: gru_step(x, s, kernel, recurrent_kernel, bias, reset_after),
        X,
        [np.zeros((3, 5))],
        MASK,
    )
    previous = np.concatenate([np.zeros((3, 1, 5)), states[:, :-1]], axis=1)
    u = kernel.shape[1] // 3
    bias_u = bias[0, :u] + bias[1, :u] if reset_after else bias[:u]
    for t in range(7):
        x_t, c = X[:, t], previous[:, t]
        zu = x_t @ kernel[:, :u] + c @ recurrent_kernel[:, :u] + bias_u
        expected = np.where(MASK[:, t][:, None], 1 / (1 + np.exp(-zu)), 0.0)
        np.testing.assert_allclose(gates["update"][:, t], expected, atol=1e-5)
    c_t = gates["update"] * gates["candidate"] + (1 - gates["update"]) * previous
    np.testing.assert_allclose(c_t[MASK], states[MASK], atol=1e-5)


def test_gru_cell_runs_inside_keras_rnn():
    cell = GRUCell(5)
    ours = keras.layers.RNN(cell)
    ours(X)
    layer = GRU(5)
    layer(X)
    layer.set_weights(ours.get_weights())
    np.testing.assert_allclose(ours(X), layer(X), atol=1e-5)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"units": 6},
        {"units": 6, "reset_after": True, "return_sequences": True},
        {"units": 6, "return_state": True, "go_backwards": True},
        {"units": 6, "dropout": 0.2, "recurrent_dropout": 0.2, "seed": 1},
    ],
)
def test_layer_harness(kwargs, tmp_path):
    expected = (3, 6)
    if kwargs.get("return_sequences"):
        expected = (3, 7, 6)
    if kwargs.get("return_state"):
        expected = [expected, (3, 6)]
    run_layer_test(
        GRU,
        kwargs,
        X,
        expected_output_shape=expected,
        mask=MASK,
        tmp_path=tmp_path,
    )

import keras
import numpy as np
import pytest

from keras_seqlayers.layers import GRU, GRUCell
from tests.harness import run_layer_test
from tests.layers.recurrent.keras_twins import compare_with_keras, negate_update_block
from tests.layers.recurrent.reference import gru_step_with_gates, run_gates

RNG = np.random.default_rng(3)
X = RNG.normal(size=(3, 7, 4)).astype("float32")
MASK = np.arange(7)[None, :] < np.array([7, 4, 2])[:, None]


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
    compare_with_keras(ours, theirs, negate_update_block, X, mask=mask)


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
@pytest.mark.parametrize("go_backwards", [False, True])
def test_gate_activations_follow_the_equations(reset_after, go_backwards):
    layer = GRU(5, reset_after=reset_after, go_backwards=go_backwards)
    layer(X)
    layer.set_weights([RNG.normal(size=w.shape) for w in layer.get_weights()])
    kernel, recurrent_kernel, bias = layer.get_weights()
    gates = layer.gate_activations(X, mask=MASK)
    expected = run_gates(
        lambda x, s: gru_step_with_gates(
            x, s, kernel, recurrent_kernel, bias, reset_after
        ),
        X,
        [np.zeros((3, 5))],
        MASK,
        go_backwards,
    )
    assert set(gates) == set(expected) == {"update", "reset", "candidate"}
    for name, values in expected.items():
        np.testing.assert_allclose(gates[name], values, atol=1e-5, err_msg=name)
    # The gates make the layer's own outputs, the update gate weighing the
    # new candidate: c_t = Γu * c̃_t + (1 - Γu) * c_{t-1}.
    out = GRU(
        5, reset_after=reset_after, go_backwards=go_backwards, return_sequences=True
    )
    out(X)
    out.set_weights(layer.get_weights())
    c = np.asarray(out(X, mask=MASK))
    zeros = np.zeros((3, 1, 5))
    if go_backwards:
        c = np.flip(c, axis=1)  # outputs come in processing order
        previous = np.concatenate([c[:, 1:], zeros], axis=1)
    else:
        previous = np.concatenate([zeros, c[:, :-1]], axis=1)
    c_t = gates["update"] * gates["candidate"] + (1 - gates["update"]) * previous
    np.testing.assert_allclose(c_t[MASK], c[MASK], atol=1e-5)


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

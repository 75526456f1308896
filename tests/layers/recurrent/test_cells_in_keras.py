"""Our cells wherever Keras takes a cell: `keras.layers.RNN(cell)`,
`keras.layers.RNN([cells])` and `keras.layers.StackedRNNCells`, eagerly,
under `tf.function` and in an XLA-compiled `fit`."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_seqlayers.layers import (
    GRU,
    LSTM,
    GRUCell,
    LSTMCell,
    SimpleRNN,
    SimpleRNNCell,
)

RNG = np.random.default_rng(23)
X = RNG.normal(size=(3, 5, 4)).astype("float32")
CELLS = [SimpleRNNCell, GRUCell, LSTMCell]
LAYER_OF = {SimpleRNNCell: SimpleRNN, GRUCell: GRU, LSTMCell: LSTM}
RUNS = ["eager", "tf.function"]


def _run(layer, x, how, **kwargs):
    if how == "tf.function":
        return tf.function(lambda inputs: layer(inputs, **kwargs))(x)
    return layer(x, **kwargs)


@pytest.mark.parametrize(
    "cell_cls", [SimpleRNNCell, GRUCell, LSTMCell, keras.layers.GRUCell]
)
@pytest.mark.parametrize("nested", [False, True])
def test_a_step_returns_states_as_keras_cells_do(cell_cls, nested):
    # Keras's cells return a list for a list of states; a one-state cell
    # given its state alone returns it alone. Batch size 1 keeps its axis.
    cell = cell_cls(3)
    keras_cell = {SimpleRNNCell: keras.layers.SimpleRNNCell}.get(
        cell_cls,
        keras.layers.LSTMCell if cell_cls is LSTMCell else keras.layers.GRUCell,
    )(3)
    x = X[:1, 0]
    states = [
        np.zeros((1, 3), "float32") for _ in range(2 if cell_cls is LSTMCell else 1)
    ]
    given = states if nested or cell_cls is LSTMCell else states[0]
    output, new_states = cell(x, given)
    _, keras_states = keras_cell(x, given)
    assert isinstance(new_states, list) == isinstance(keras_states, list)
    assert output.shape == (1, 3)
    for state in keras.tree.flatten(new_states):
        assert state.shape == (1, 3)


@pytest.mark.parametrize("how", RUNS)
@pytest.mark.parametrize("batch", [1, 3])
def test_stacked_gru_cells_in_keras_rnn(how, batch):
    rnn = keras.layers.RNN([GRUCell(3), GRUCell(5)], return_state=True)
    output, first, second = _run(rnn, X[:batch], how)
    assert (output.shape, first.shape, second.shape) == (
        (batch, 5),
        (batch, 3),
        (batch, 5),
    )


def _stack(cells, how):
    """`RNN(cells)` and our layers stacked, on the same weights."""
    rnn = keras.layers.RNN(cells, return_sequences=True, return_state=True)
    rnn(X)
    layers = [
        LAYER_OF[type(cell)].from_config(
            {**cell.get_config(), "return_sequences": True, "return_state": True}
        )
        for cell in cells
    ]
    weights = [
        RNG.normal(scale=0.5, size=w.shape).astype("float32") for w in rnn.weights
    ]
    rnn.set_weights(weights)
    got = keras.tree.flatten(_run(rnn, X, how))
    outputs, want = X, []
    for layer in layers:
        layer(outputs)
        layer.set_weights(weights[:3])
        weights = weights[3:]
        outputs, *states = layer(outputs)
        want.extend(states)
    return got, [outputs, *want]


@pytest.mark.parametrize("how", RUNS)
@pytest.mark.parametrize(
    "cells",
    [
        pytest.param(lambda: [GRUCell(4)], id="gru"),
        pytest.param(lambda: [LSTMCell(4)], id="lstm"),
        pytest.param(lambda: [SimpleRNNCell(3), GRUCell(5)], id="simple+gru"),
        pytest.param(
            lambda: [GRUCell(3, reset_after=True), LSTMCell(5)], id="gru+lstm"
        ),
    ],
)
def test_keras_rnn_over_our_cells_equals_our_layers(cells, how):
    got, want = _stack(cells(), how)
    assert len(got) == len(want)
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)


def test_stacked_rnn_cells_over_our_cells():
    cells = keras.layers.StackedRNNCells([LSTMCell(3), GRUCell(2)])
    output, states = cells(X[:, 0], cells.get_initial_state(batch_size=3))
    assert output.shape == (3, 2)
    (a, c), h = states
    assert (a.shape, c.shape, h.shape) == ((3, 3), (3, 3), (3, 2))


def _model(cells, jit_compile):
    model = keras.Sequential(
        [keras.Input((5, 4)), keras.layers.RNN(cells), keras.layers.Dense(1)]
    )
    model.compile(optimizer="sgd", loss="mse", jit_compile=jit_compile)
    return model


@pytest.mark.parametrize("cell_cls", CELLS)
def test_xla_fit_over_stacked_cells_matches_eager(cell_cls):
    y = RNG.normal(size=(3, 1)).astype("float32")
    eager = _model([cell_cls(3), cell_cls(2)], jit_compile=False)
    compiled = _model([cell_cls(3), cell_cls(2)], jit_compile=True)
    compiled.set_weights(eager.get_weights())
    eager.run_eagerly = True
    eager.fit(X, y, epochs=2, verbose=0)
    compiled.fit(X, y, epochs=2, verbose=0)
    for a, b in zip(compiled.get_weights(), eager.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)


# Gate biases that open or close each gate exactly (σ(±1000) is 1 or 0 in
# float32), so that a cell's new state is its candidate: (block, bias) for
# every gate block, and the candidate's block.
_GATES = {
    SimpleRNNCell: ([], 0),
    GRUCell: ([(0, 1000), (1, 1000)], 2),
    LSTMCell: ([(0, 1000), (1, -1000), (3, 1000)], 2),
}


def _pass_through(cell, through):
    """Weights under which the output is nonzero exactly where the inputs
    (`through="input"`) or the carried state (`"recurrent"`) got through."""
    gates, candidate = _GATES[type(cell)]
    units = cell.units
    kernel = np.zeros(cell.kernel.shape, "float32")
    recurrent = np.zeros(cell.recurrent_kernel.shape, "float32")
    bias = np.zeros(cell.bias.shape, "float32")
    for block, value in gates:
        bias[block * units : (block + 1) * units] = value
    target = kernel if through == "input" else recurrent
    target[:, candidate * units : (candidate + 1) * units] = np.eye(units)
    cell.set_weights([kernel, recurrent, bias])


@pytest.mark.parametrize("cell_cls", CELLS)
@pytest.mark.parametrize("through", ["input", "recurrent"])
@pytest.mark.parametrize("stacked", [False, True])
@pytest.mark.parametrize("how", RUNS)
def test_keras_rnn_keeps_one_dropout_mask_per_sequence(cell_cls, through, stacked, how):
    units = 64
    rate = {"dropout" if through == "input" else "recurrent_dropout": 0.5}
    cell = cell_cls(units, **rate, seed=3)
    cells = [cell]
    if stacked:  # a plain copy above it: the first cell's zeros show through
        cells.append(SimpleRNNCell(units, activation=None, use_bias=False))
    rnn = keras.layers.RNN(cells if stacked else cell, return_sequences=True)
    x = np.ones((2, 6, units), "float32")
    if through == "recurrent":
        x = np.zeros_like(x)
    rnn(x)
    _pass_through(cell, through)
    if stacked:
        cells[1].set_weights([np.eye(units), np.zeros((units, units))])
    ones = np.ones((2, units), "float32")
    initial = [ones, ones] if cell_cls is LSTMCell else [ones]
    if stacked:
        initial = [initial if cell_cls is LSTMCell else ones, np.zeros_like(ones)]
    patterns = []
    for _ in range(2):
        outputs = _run(rnn, x, how, training=True, initial_state=initial)
        dropped = keras.ops.convert_to_numpy(outputs) == 0
        assert 0 < dropped[:, 0].mean() < 1
        for step in range(1, 6):
            np.testing.assert_array_equal(dropped[:, step], dropped[:, 0])
        patterns.append(dropped[:, 0])
    assert not np.array_equal(*patterns)

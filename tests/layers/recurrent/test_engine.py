"""The engine, through all three layers: equations, masks, direction, state,
dropout, gradients, long sequences, XLA and bad input."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_seqlayers.layers import GRU, LSTM, SimpleRNN, SimpleRNNCell
from tests.layers.recurrent.reference import run, step_for

LAYERS = [
    pytest.param(SimpleRNN, {}, id="simple_rnn"),
    pytest.param(GRU, {}, id="gru"),
    pytest.param(GRU, {"reset_after": True}, id="gru_reset_after"),
    pytest.param(LSTM, {}, id="lstm"),
]
RNG = np.random.default_rng(7)


def _inputs(batch=3, time=6, features=4):
    return RNG.normal(size=(batch, time, features)).astype("float32")


def _random_weights(layer):
    layer.set_weights(
        [RNG.normal(scale=0.5, size=w.shape).astype("float32") for w in layer.weights]
    )


def _num_states(layer_cls):
    return 2 if layer_cls is LSTM else 1


@pytest.mark.parametrize(("layer_cls", "kwargs"), LAYERS)
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("masked", [False, True])
def test_matches_numpy_equations(layer_cls, kwargs, go_backwards, masked):
    x = _inputs()
    mask = None
    if masked:
        lengths = np.array([6, 3, 1])
        mask = np.arange(6)[None, :] < lengths[:, None]
    units = 5
    initial = [
        RNG.normal(size=(3, units)).astype("float32")
        for _ in range(_num_states(layer_cls))
    ]
    layer = layer_cls(
        units,
        return_sequences=True,
        return_state=True,
        go_backwards=go_backwards,
        **kwargs,
    )
    layer.build(x.shape)
    _random_weights(layer)
    outputs, *states = layer(x, mask=mask, initial_state=initial)
    expected, expected_states = run(step_for(layer), x, initial, mask, go_backwards)
    np.testing.assert_allclose(outputs, expected, atol=1e-5)
    for state, want in zip(states, expected_states, strict=True):
        np.testing.assert_allclose(state, want, atol=1e-5)
    last = layer_cls(units, go_backwards=go_backwards, **kwargs)
    last.build(x.shape)
    last.set_weights(layer.get_weights())
    np.testing.assert_allclose(
        last(x, mask=mask, initial_state=initial), expected[:, -1], atol=1e-5
    )


@pytest.mark.parametrize(("layer_cls", "kwargs"), LAYERS)
def test_gradients_match_finite_differences(layer_cls, kwargs):
    x = _inputs(batch=2, time=3, features=2).astype("float64")
    layer = layer_cls(3, dtype="float64", **kwargs)
    layer.build(x.shape)
    _random_weights(layer)
    weights = [w.numpy() for w in layer.weights]
    direction = RNG.normal(size=(2, 3))

    def objective(inputs):
        return float(np.sum(keras.ops.convert_to_numpy(layer(inputs)) * direction))

    x_var = tf.Variable(x)
    with tf.GradientTape() as tape:
        value = tf.reduce_sum(layer(x_var) * direction)
    grad_x, *grad_w = tape.gradient(value, [x_var, *layer.trainable_weights])

    eps = 1e-6
    numeric_x = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[index] += eps
        down[index] -= eps
        numeric_x[index] = (objective(up) - objective(down)) / (2 * eps)
    np.testing.assert_allclose(grad_x, numeric_x, atol=1e-7, rtol=1e-6)

    for variable, analytic, base in zip(
        layer.trainable_weights, grad_w, weights, strict=True
    ):
        numeric = np.zeros_like(base)
        for index in list(np.ndindex(base.shape))[::3]:
            for sign in (1, -1):
                shifted = base.copy()
                shifted[index] += sign * eps
                variable.assign(shifted)
                numeric[index] += sign * objective(x) / (2 * eps)
            variable.assign(base)
            assert abs(analytic.numpy()[index] - numeric[index]) < 1e-6, (
                variable.name,
                index,
            )


@pytest.mark.parametrize(("layer_cls", "kwargs"), LAYERS)
def test_long_sequence_stays_finite_forward_and_backward(layer_cls, kwargs):
    x = tf.Variable(_inputs(batch=2, time=2000, features=3))
    layer = layer_cls(8, **kwargs)
    with tf.GradientTape() as tape:
        output = layer(x)
        loss = tf.reduce_sum(output)
    grads = tape.gradient(loss, [x, *layer.trainable_weights])
    assert np.all(np.isfinite(output))
    for grad in grads:
        assert np.all(np.isfinite(grad))


@pytest.mark.parametrize(("layer_cls", "kwargs"), LAYERS)
def test_xla_training_step_matches_eager(layer_cls, kwargs):
    x = _inputs(batch=4, time=5, features=3)
    mask = np.ones((4, 5), bool)
    mask[1, 3:] = False
    y = RNG.normal(size=(4, 6)).astype("float32")
    losses = []
    for jit in (False, True):
        keras.utils.set_random_seed(3)
        inputs = keras.Input((5, 3))
        masked = keras.layers.Masking(mask_value=0.0)(inputs)
        model = keras.Model(inputs, layer_cls(6, **kwargs)(masked))
        model.compile(optimizer="sgd", loss="mse", jit_compile=jit)
        x_in = x.copy()
        x_in[~mask] = 0.0
        history = model.fit(x_in, y, epochs=3, batch_size=4, verbose=0)
        losses.append(history.history["loss"])
    np.testing.assert_allclose(losses[0], losses[1], rtol=1e-5)


@pytest.mark.parametrize("reset", ["reset_state", "reset_states"])
@pytest.mark.parametrize(("layer_cls", "kwargs"), LAYERS)
def test_stateful_carries_states_and_resets(layer_cls, kwargs, reset):
    x = _inputs(batch=2, time=6, features=3)
    whole = layer_cls(4, **kwargs)
    whole.build(x.shape)
    stateful = layer_cls(4, stateful=True, **kwargs)
    stateful.build(x.shape)
    stateful.set_weights(whole.get_weights())
    stateful(x[:, :3])
    np.testing.assert_allclose(stateful(x[:, 3:]), whole(x), atol=1e-5)
    getattr(stateful, reset)()
    for state in stateful.states:
        np.testing.assert_array_equal(state.numpy(), 0.0)
    np.testing.assert_allclose(stateful(x[:, :3]), whole(x[:, :3]), atol=1e-5)


@pytest.mark.parametrize(("layer_cls", "kwargs"), LAYERS)
def test_stateful_states_are_not_weights(layer_cls, kwargs):
    # As in keras.layers.RNN: weights move between stateful and stateless
    # models (train with one batch size, generate with another).
    stateless = keras.Sequential([keras.Input((5, 3)), layer_cls(4, **kwargs)])
    inputs = keras.Input((5, 3), batch_size=1)
    layer = layer_cls(4, stateful=True, **kwargs)
    stateful = keras.Model(inputs, layer(inputs))
    assert [w.name for w in layer.weights] == ["kernel", "recurrent_kernel", "bias"]
    assert len(layer.states) == _num_states(layer_cls)
    assert not {id(s) for s in layer.states} & {id(w) for w in stateful.weights}
    stateful.set_weights(stateless.get_weights())
    x = _inputs(batch=1, time=5, features=3)
    np.testing.assert_allclose(stateful(x), stateless(x), atol=1e-6)


@pytest.mark.parametrize(("layer_cls", "kwargs"), LAYERS)
def test_stateful_carries_states_through_xla_fit(layer_cls, kwargs):
    x = _inputs(batch=2, time=4, features=3)
    inputs = keras.Input((4, 3), batch_size=2)
    layer = layer_cls(4, stateful=True, **kwargs)
    model = keras.Model(inputs, layer(inputs))
    # A zero learning rate keeps the weights, so the states after two
    # batches can be replayed: the second batch starts where the first ended.
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse", jit_compile=True)
    model.fit(x, np.ones((2, 4), "float32"), batch_size=2, epochs=2, verbose=0)
    replay = layer_cls(4, return_state=True, **kwargs)
    replay.build(x.shape)
    replay.set_weights(layer.get_weights())
    first = replay(x)[1:]
    expected = replay(x, initial_state=list(first))[1:]
    for state, want in zip(layer.states, expected, strict=True):
        np.testing.assert_allclose(state.numpy(), want, atol=1e-5)


def test_stateful_export_carries_states_between_calls(tmp_path):
    x = _inputs(batch=2, time=4, features=3)
    inputs = keras.Input((4, 3), batch_size=2)
    layer = GRU(5, stateful=True)
    model = keras.Model(inputs, layer(inputs))
    model.export(str(tmp_path / "exported"), verbose=False)
    served = tf.saved_model.load(str(tmp_path / "exported"))
    first, second = served.serve(x), served.serve(x)
    np.testing.assert_allclose(first, model(x), atol=1e-6)
    np.testing.assert_allclose(second, model(x), atol=1e-6)
    assert np.abs(np.asarray(second) - np.asarray(first)).max() > 1e-4


@pytest.mark.parametrize(("layer_cls", "kwargs"), LAYERS)
def test_dropout_draws_one_mask_per_sequence(layer_cls, kwargs):
    # With every input equal across time, one input mask per sequence means
    # dropout is the same as zeroing the same features at every step.
    x = np.repeat(_inputs(batch=2, time=1, features=64), 5, axis=1)
    layer = layer_cls(3, dropout=0.5, seed=11, **kwargs)
    layer.build(x.shape)
    projected = []
    original = layer.cell.project_inputs

    def spy(inputs):
        projected.append(inputs)
        return original(inputs)

    layer.cell.project_inputs = spy
    layer(x, training=True)
    # The engine projects in time-major order: (time, batch, features).
    dropped = np.swapaxes(keras.ops.convert_to_numpy(projected[0]), 0, 1)
    assert dropped.shape == x.shape
    zeros = dropped == 0
    assert 0.3 < zeros.mean() < 0.7
    assert np.all(zeros == zeros[:, :1, :])
    kept = ~zeros
    np.testing.assert_allclose(dropped[kept], (x * 2)[kept], rtol=1e-6)
    np.testing.assert_allclose(layer(x, training=False), layer(x), atol=0)


def test_recurrent_dropout_draws_one_mask_per_sequence():
    # h_t = 1 + m * h_{t-1} unit by unit (linear activation, no input
    # weight, bias 1, identity recurrent kernel), with each mask entry m in
    # {0, 2}: one mask per sequence gives every unit either 1, 1, 1, ... or
    # 1, 3, 7, 15, ...; a mask drawn at each step would mix the two.
    units, time = 64, 5
    layer = SimpleRNN(
        units,
        activation="linear",
        recurrent_dropout=0.5,
        seed=5,
        return_sequences=True,
    )
    x = _inputs(batch=3, time=time, features=2)
    layer.build(x.shape)
    layer.set_weights([np.zeros((2, units)), np.eye(units), np.ones(units)])
    outputs = np.asarray(layer(x, training=True))
    ones = np.ones(time)
    doubling = 2.0 ** np.arange(1, time + 1) - 1
    dropped = np.all(np.isclose(outputs, ones[None, :, None]), axis=1)
    kept = np.all(np.isclose(outputs, doubling[None, :, None]), axis=1)
    assert np.all(dropped | kept)
    assert 0.3 < dropped.mean() < 0.7


@pytest.mark.parametrize(("layer_cls", "kwargs"), LAYERS)
def test_recurrent_dropout_changes_training_outputs_only(layer_cls, kwargs):
    x = _inputs()
    layer = layer_cls(16, recurrent_dropout=0.5, seed=3, **kwargs)
    inference = keras.ops.convert_to_numpy(layer(x))
    np.testing.assert_allclose(layer(x, training=False), inference)
    assert not np.allclose(layer(x, training=True), inference)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"units": 0}, "units"),
        ({"units": -3}, "units"),
        ({"units": 4, "activation": "no_such_fn"}, "activation='no_such_fn'"),
        ({"units": 4, "dropout": 1.0}, r"dropout.*\[0, 1\)"),
        ({"units": 4, "dropout": -0.1}, r"dropout"),
        ({"units": 4, "recurrent_dropout": 1.5}, r"recurrent_dropout"),
    ],
)
@pytest.mark.parametrize("layer_cls", [SimpleRNN, GRU, LSTM])
def test_bad_constructor_arguments(layer_cls, kwargs, message):
    with pytest.raises(ValueError, match=message):
        layer_cls(**kwargs)


@pytest.mark.parametrize("layer_cls", [SimpleRNN, GRU, LSTM])
def test_units_must_be_an_integer(layer_cls):
    for units in (2.5, "4", True):
        with pytest.raises(TypeError, match=rf"received units={units!r}"):
            layer_cls(units)
    layer = layer_cls(np.int64(4))
    assert type(layer.units) is int
    assert layer.units == 4
    assert layer(_inputs()).shape[-1] == 4


def test_unknown_recurrent_activation():
    with pytest.raises(ValueError, match="recurrent_activation='nope'"):
        GRU(4, recurrent_activation="nope")


@pytest.mark.parametrize("layer_cls", [SimpleRNN, GRU, LSTM])
def test_bad_call_inputs(layer_cls):
    layer = layer_cls(4)
    with pytest.raises(ValueError, match="rank 3"):
        layer(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="float inputs"):
        layer_cls(4)(np.zeros((2, 3, 4), "int32"))
    layer(np.zeros((2, 3, 4), "float32"))
    with pytest.raises(ValueError, match="expected ndim=3"):
        layer(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="expected axis -1"):
        layer(np.zeros((2, 3, 5), "float32"))
    with pytest.raises(ValueError, match=r"`mask` must have shape"):
        layer(np.zeros((2, 3, 4), "float32"), mask=np.ones((2, 4), bool))
    with pytest.raises(ValueError, match="initial_state"):
        layer(
            np.zeros((2, 3, 4), "float32"),
            initial_state=[np.zeros((2, 7), "float32")] * _num_states(layer_cls),
        )
    with pytest.raises(ValueError, match="list of"):
        layer(
            np.zeros((2, 3, 4), "float32"),
            initial_state=[np.zeros((2, 4), "float32")] * 3,
        )


@pytest.mark.parametrize(("layer_cls", "kwargs"), LAYERS[:3])
def test_one_state_layers_take_a_bare_initial_state_tensor(layer_cls, kwargs):
    x = _inputs(batch=2, time=4, features=3)
    state = RNG.normal(size=(2, 5)).astype("float32")
    layer = layer_cls(5, **kwargs)
    layer.build(x.shape)
    _random_weights(layer)
    expected, _ = run(step_for(layer), x, [state])
    np.testing.assert_allclose(
        layer(x, initial_state=state), expected[:, -1], atol=1e-5
    )
    np.testing.assert_allclose(
        layer(x, initial_state=state), layer(x, initial_state=[state]), atol=0
    )


@pytest.mark.parametrize("batch", [1, 3])
def test_stateful_rejects_another_batch_size(batch):
    layer = GRU(2, stateful=True)
    layer(_inputs(batch=2, time=5, features=3))
    before = [s.numpy().copy() for s in layer.states]
    with pytest.raises(ValueError, match=r"built for batches of 2 sequences"):
        layer(_inputs(batch=batch, time=5, features=3))
    for state, old in zip(layer.states, before, strict=True):
        np.testing.assert_array_equal(state.numpy(), old)


def test_stateful_needs_a_fixed_batch_size_and_builds_nothing_without_one():
    layer = GRU(4, stateful=True)
    with pytest.raises(ValueError, match="stateful=True` needs a fixed batch size"):
        layer(keras.Input((3, 2)))
    assert not layer.built
    assert not layer.cell.built
    assert not layer.weights
    # Still usable once given a batch size.
    assert tuple(layer(_inputs(batch=2, time=3, features=2)).shape) == (2, 4)


def test_reset_state_of_a_stateless_layer_is_an_error():
    with pytest.raises(ValueError, match="stateful=True"):
        GRU(4).reset_state()


@pytest.mark.parametrize(("layer_cls", "kwargs"), LAYERS)
def test_direction_and_sequences_set_after_construction_are_used(layer_cls, kwargs):
    x = _inputs()
    changed = layer_cls(5, **kwargs)
    changed.build(x.shape)
    _random_weights(changed)
    changed(x)
    changed.return_sequences = True
    changed.go_backwards = True
    built_so = layer_cls(5, return_sequences=True, go_backwards=True, **kwargs)
    built_so.build(x.shape)
    built_so.set_weights(changed.get_weights())
    output = changed(x)
    assert tuple(output.shape) == changed.compute_output_shape(x.shape)
    np.testing.assert_allclose(output, built_so(x), atol=0)
    if hasattr(changed, "gate_activations"):
        gates, expected = changed.gate_activations(x), built_so.gate_activations(x)
        for name, values in gates.items():
            np.testing.assert_allclose(values, expected[name], atol=0)
    assert changed.get_config() == built_so.get_config() | {"name": changed.name}


class _FailingCell(SimpleRNNCell):
    def step(self, projected, states, weights, recurrent_mask=None):
        raise RuntimeError("step failed")


class _Failing(SimpleRNN):
    cell_class = _FailingCell


def _tensors_held(layer):
    """(layer name, attribute) of every tensor, not variable, a layer or
    sublayer holds."""
    held = []
    for owner in [layer, *layer._flatten_layers(include_self=False)]:
        for name, value in vars(owner).items():
            if isinstance(value, (list, tuple, dict)):
                leaves = keras.tree.flatten(value)
            else:
                leaves = [value]
            if any(
                keras.ops.is_tensor(leaf) and not isinstance(leaf, keras.Variable)
                for leaf in leaves
            ):
                held.append((owner.name, name))
    return held


def test_a_call_failing_in_the_loop_leaves_no_tensor_on_the_layer():
    layer = _Failing(3, recurrent_dropout=0.5)
    layer.build((2, 4, 5))
    with pytest.raises(RuntimeError, match="step failed"):
        layer(_inputs(2, 4, 5), training=True)
    assert _tensors_held(layer) == []


@pytest.mark.parametrize("layer_cls", [GRU, LSTM])
def test_gate_activations_go_through_call(layer_cls, monkeypatch):
    layer = layer_cls(3)
    calls = []
    original = layer.call
    monkeypatch.setattr(
        layer, "call", lambda *a, **k: calls.append(k) or original(*a, **k)
    )
    layer.gate_activations(_inputs(2, 4, 5))
    assert len(calls) == 1

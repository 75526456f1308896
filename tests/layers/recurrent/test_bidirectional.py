"""Bidirectional: each padded sequence read as if alone, merge modes, states,
initial states, Keras's own layers inside, serialization and bad input."""

import json

import keras
import numpy as np
import pytest

from keras_seqlayers.layers import GRU, LSTM, Bidirectional, DeepRNN, SimpleRNN
from tests.harness import check_repeated_config_round_trips, run_layer_test
from tests.layers.recurrent.reference import run, step_for

RNG = np.random.default_rng(11)
LENGTHS = np.array([6, 4, 1])
X = RNG.normal(size=(3, 6, 4)).astype("float32")
MASK = np.arange(6)[None, :] < LENGTHS[:, None]

OURS = [
    pytest.param(SimpleRNN, {}, id="simple_rnn"),
    pytest.param(GRU, {}, id="gru"),
    pytest.param(GRU, {"reset_after": True}, id="gru_reset_after"),
    pytest.param(LSTM, {}, id="lstm"),
]
KERAS = [
    pytest.param(keras.layers.SimpleRNN, id="keras_simple_rnn"),
    pytest.param(keras.layers.GRU, id="keras_gru"),
    pytest.param(keras.layers.LSTM, id="keras_lstm"),
]


def _np(tensor):
    return keras.ops.convert_to_numpy(tensor)


def _randomize(layer):
    layer.set_weights(
        [RNG.normal(scale=0.5, size=w.shape).astype("float32") for w in layer.weights]
    )


def _num_states(layer):
    size = layer.cell.state_size
    return len(size) if isinstance(size, (list, tuple)) else 1


def _bidirectional(template, x=X, **kwargs):
    layer = Bidirectional(template, **kwargs)
    layer.build(x.shape)
    _randomize(layer.forward_layer)
    _randomize(layer.backward_layer)
    return layer


@pytest.mark.parametrize(("layer_cls", "kwargs"), OURS)
def test_padded_batch_equals_numpy_per_sequence(layer_cls, kwargs):
    """Padded + masked batch == each sequence alone, forwards and backwards,
    with the NumPy recurrence written from the equations."""
    layer = _bidirectional(
        layer_cls(5, return_sequences=True, return_state=True, **kwargs),
        merge_mode=None,
    )
    forward, backward, *states = layer(X, mask=MASK)
    forward, backward = _np(forward), _np(backward)
    n = _num_states(layer.forward_layer)
    step_fw = step_for(layer.forward_layer)
    step_bw = step_for(layer.backward_layer)
    for i, length in enumerate(LENGTHS):
        alone = X[i : i + 1, :length]
        zeros = [np.zeros((1, 5)) for _ in range(n)]
        fw, fw_states = run(step_fw, alone, zeros)
        bw, bw_states = run(step_bw, alone, zeros, go_backwards=True)
        np.testing.assert_allclose(forward[i, :length], fw[0], atol=1e-5)
        # The backward run's k-th output belongs to input step length-1-k.
        np.testing.assert_allclose(backward[i, :length], bw[0, ::-1], atol=1e-5)
        np.testing.assert_array_equal(forward[i, length:], 0.0)
        np.testing.assert_array_equal(backward[i, length:], 0.0)
        # Forward states first, then backward states.
        for got, want in zip(states, fw_states + bw_states, strict=True):
            np.testing.assert_allclose(_np(got)[i], want[0], atol=1e-5)


@pytest.mark.parametrize("layer_cls", [*KERAS, pytest.param(GRU, id="gru")])
def test_padded_batch_equals_each_sequence_run_alone(layer_cls):
    """Also for Keras's own layers: run each sequence alone, unpadded and
    unmasked, through the same two directions and compare."""
    layer = _bidirectional(
        layer_cls(5, return_sequences=True, return_state=True), merge_mode=None
    )
    forward, backward, *states = (_np(t) for t in layer(X, mask=MASK))
    n = _num_states(layer.forward_layer)
    for i, length in enumerate(LENGTHS):
        alone = X[i : i + 1, :length]
        fw, *fw_states = layer.forward_layer(alone)
        bw, *bw_states = layer.backward_layer(alone)
        np.testing.assert_allclose(forward[i, :length], fw[0], atol=1e-5)
        np.testing.assert_allclose(backward[i, :length], bw[0, ::-1], atol=1e-5)
        np.testing.assert_array_equal(backward[i, length:], 0.0)
        for got, want in zip(states, fw_states + bw_states, strict=True):
            np.testing.assert_allclose(got[i], want[0], atol=1e-5)
        assert len(states) == 2 * n


@pytest.mark.parametrize("layer_cls", [GRU, keras.layers.LSTM])
def test_last_output_reads_each_sequence_from_its_end(layer_cls):
    """Without return_sequences: [forward last, backward last] per sequence."""
    layer = _bidirectional(layer_cls(5))
    merged = _np(layer(X, mask=MASK))
    for i, length in enumerate(LENGTHS):
        alone = X[i : i + 1, :length]
        want = np.concatenate(
            [layer.forward_layer(alone)[0], layer.backward_layer(alone)[0]]
        )
        np.testing.assert_allclose(merged[i], want, atol=1e-5)


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave"])
def test_merge_modes(merge_mode):
    both = _bidirectional(GRU(5, return_sequences=True), merge_mode=None)
    forward, backward = (_np(t) for t in both(X, mask=MASK))
    merged = Bidirectional(GRU(5, return_sequences=True), merge_mode=merge_mode)
    merged.build(X.shape)
    merged.set_weights(both.get_weights())
    want = {
        "concat": np.concatenate([forward, backward], axis=-1),
        "sum": forward + backward,
        "mul": forward * backward,
        "ave": (forward + backward) / 2,
    }[merge_mode]
    np.testing.assert_allclose(merged(X, mask=MASK), want, atol=1e-6)
    assert tuple(merged.compute_output_shape(X.shape)) == want.shape


def test_initial_state_is_split_in_halves():
    layer = _bidirectional(LSTM(5, return_sequences=True), merge_mode=None)
    initial = [RNG.normal(size=(3, 5)).astype("float32") for _ in range(4)]
    forward, backward = layer(X, mask=MASK, initial_state=initial)
    fw, _ = run(step_for(layer.forward_layer), X, initial[:2], MASK)
    bw, _ = run(step_for(layer.backward_layer), X, initial[2:], MASK, True)
    for i, length in enumerate(LENGTHS):
        np.testing.assert_allclose(forward[i, :length], fw[i, :length], atol=1e-5)
        # Reversed whole padded rows: real steps are the last `length` ones.
        np.testing.assert_allclose(
            backward[i, :length], bw[i, ::-1][:length], atol=1e-5
        )


def test_custom_backward_layer():
    backward = LSTM(
        4, return_sequences=True, go_backwards=True, use_bias=False, name="bw"
    )
    layer = Bidirectional(LSTM(4, return_sequences=True), backward_layer=backward)
    out = layer(X, mask=MASK)
    assert out.shape == (3, 6, 8)
    assert layer.forward_layer.cell.use_bias
    assert not layer.backward_layer.cell.use_bias
    assert layer.backward_layer is not backward  # a fresh copy of the template
    revived = Bidirectional.from_config(json.loads(json.dumps(layer.get_config())))
    assert not revived.backward_layer.cell.use_bias


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize(
    ("template", "backward"),
    [
        pytest.param(
            lambda: GRU(3, return_sequences=True),
            lambda: GRU(4, return_sequences=True, go_backwards=True),
            id="ours",
        ),
        pytest.param(
            lambda: keras.layers.LSTM(3, return_sequences=True),
            lambda: keras.layers.LSTM(4, return_sequences=True, go_backwards=True),
            id="keras",
        ),
        pytest.param(
            lambda: keras.layers.RNN(keras.layers.GRUCell(3), return_sequences=True),
            lambda: keras.layers.RNN(
                keras.layers.GRUCell(4), return_sequences=True, go_backwards=True
            ),
            id="keras_rnn",
        ),
    ],
)
def test_backward_layer_with_other_units_is_refused(template, backward, merge_mode):
    with pytest.raises(
        ValueError,
        match=r"`backward_layer` must have the same number of units as `layer`"
        r".*units=4",
    ):
        Bidirectional(template(), merge_mode=merge_mode, backward_layer=backward())


def test_output_mask_and_functional_use():
    inputs = keras.Input((None,), dtype="int32")
    embedded = keras.layers.Embedding(10, 4, mask_zero=True)(inputs)
    outputs = Bidirectional(GRU(3, return_sequences=True))(embedded)
    assert outputs._keras_mask is not None
    model = keras.Model(inputs, outputs)
    ids = np.array([[4, 5, 6, 0, 0], [7, 0, 0, 0, 0]])
    alone = model(ids[:1, :3])
    np.testing.assert_allclose(model(ids)[0, :3], alone[0], atol=1e-5)


@pytest.mark.parametrize(
    "template",
    [
        pytest.param(lambda: GRU(4, return_sequences=True, dropout=0.1), id="ours"),
        pytest.param(lambda: keras.layers.LSTM(4, return_state=True), id="keras"),
    ],
)
def test_serialize_deserialize_safe_mode(template):
    layer = Bidirectional(template(), merge_mode="sum", name="bi")
    layer.build(X.shape)
    data = json.loads(json.dumps(keras.saving.serialize_keras_object(layer)))
    revived = keras.saving.deserialize_keras_object(data, safe_mode=True)
    assert type(revived) is Bidirectional
    assert type(revived.forward_layer) is type(layer.forward_layer)
    assert revived.merge_mode == "sum"
    assert revived.get_config() == layer.get_config()
    revived.build(X.shape)
    revived.set_weights(layer.get_weights())
    for a, b in zip(
        keras.tree.flatten(revived(X)), keras.tree.flatten(layer(X)), strict=True
    ):
        np.testing.assert_allclose(_np(a), _np(b), atol=1e-6)


@pytest.mark.parametrize(
    ("template", "backward"),
    [
        pytest.param(
            lambda: keras.layers.RNN(keras.layers.GRUCell(2)), None, id="keras_rnn"
        ),
        pytest.param(
            lambda: GRU(2),
            lambda: keras.layers.RNN(keras.layers.GRUCell(2), go_backwards=True),
            id="keras_rnn_backward",
        ),
        pytest.param(lambda: LSTM(2, return_state=True), None, id="ours"),
    ],
)
def test_config_round_trips_repeat_and_leave_configs_alone(template, backward):
    # keras.layers.RNN.from_config pops "cell" from the config it is given:
    # neither the layer's own templates nor a caller's config may be shared.
    layer = Bidirectional(
        template(), backward_layer=None if backward is None else backward()
    )
    layer(X)
    check_repeated_config_round_trips(layer, X)


def test_bad_arguments():
    with pytest.raises(ValueError, match="`merge_mode` must be one of"):
        Bidirectional(GRU(3), merge_mode="max")
    with pytest.raises(ValueError, match="`layer` must be a recurrent layer"):
        Bidirectional(keras.layers.Dense(3))
    with pytest.raises(ValueError, match="`layer` must be a recurrent layer"):
        Bidirectional(Bidirectional(GRU(3)))
    with pytest.raises(ValueError, match="`backward_layer` must be None or"):
        Bidirectional(GRU(3), backward_layer="gru")
    with pytest.raises(ValueError, match="opposite direction"):
        Bidirectional(GRU(3), backward_layer=GRU(3))
    with pytest.raises(ValueError, match="same `return_sequences`"):
        Bidirectional(
            GRU(3), backward_layer=GRU(3, go_backwards=True, return_sequences=True)
        )
    with pytest.raises(ValueError, match="as many states"):
        Bidirectional(GRU(3), backward_layer=LSTM(3, go_backwards=True))
    layer = Bidirectional(GRU(3))
    with pytest.raises(ValueError, match="`initial_state` must be a list of 2"):
        layer(X, initial_state=[np.zeros((3, 3), "float32")])
    with pytest.raises(ValueError, match="rank 3"):
        Bidirectional(GRU(3)).build((3, 4))


WRAPPERS = [
    pytest.param(lambda: DeepRNN([GRU(3)]), id="deep_rnn"),
    pytest.param(
        lambda: keras.layers.Bidirectional(keras.layers.LSTM(3)),
        id="keras_bidirectional",
    ),
    pytest.param(lambda: Bidirectional(GRU(3)), id="ours"),
]


@pytest.mark.parametrize("wrapper", WRAPPERS)
def test_layers_without_go_backwards_are_refused(wrapper):
    # They have return_sequences and return_state but no single direction.
    with pytest.raises(
        ValueError,
        match=r"`layer` must be a recurrent layer instance.*layer=",
    ):
        Bidirectional(wrapper())
    with pytest.raises(
        ValueError,
        match=r"`backward_layer` must be None or a recurrent layer.*backward_layer=",
    ):
        Bidirectional(GRU(3), backward_layer=wrapper())


@pytest.mark.parametrize(
    ("template", "merge_mode", "expected"),
    [
        (lambda: GRU(5, return_sequences=True), "concat", (3, 6, 10)),
        (lambda: LSTM(5, return_state=True), "sum", [(3, 5)] + [(3, 5)] * 4),
        (lambda: SimpleRNN(5, return_sequences=True), "ave", (3, 6, 5)),
        (lambda: keras.layers.GRU(5, return_sequences=True), "mul", (3, 6, 5)),
        (
            lambda: keras.layers.LSTM(5, return_sequences=True, return_state=True),
            None,
            [(3, 6, 5), (3, 6, 5)] + [(3, 5)] * 4,
        ),
    ],
    ids=["gru_concat", "lstm_state_sum", "simple_ave", "keras_gru", "keras_lstm"],
)
def test_layer_harness(template, merge_mode, expected, tmp_path):
    run_layer_test(
        Bidirectional,
        {"layer": template(), "merge_mode": merge_mode},
        X,
        expected_output_shape=expected,
        mask=MASK,
        tmp_path=tmp_path,
    )


@pytest.mark.parametrize("reset", ["reset_state", "reset_states"])
@pytest.mark.parametrize(("layer_cls", "kwargs"), OURS)
def test_reset_state_resets_both_stateful_directions(layer_cls, kwargs, reset):
    layer = Bidirectional(layer_cls(3, stateful=True, **kwargs))
    first = keras.ops.convert_to_numpy(layer(X))
    carried = keras.ops.convert_to_numpy(layer(X))
    # The states carried over change the second call, in both halves.
    assert not np.allclose(carried[:, :3], first[:, :3])
    assert not np.allclose(carried[:, 3:], first[:, 3:])
    getattr(layer, reset)()
    for direction in (layer.forward_layer, layer.backward_layer):
        for state in direction.states:
            np.testing.assert_array_equal(keras.ops.convert_to_numpy(state), 0.0)
    np.testing.assert_allclose(layer(X), first, atol=1e-6)


def test_reset_state_of_a_stateless_wrapped_layer_says_so():
    layer = Bidirectional(GRU(3))
    layer(X)
    with pytest.raises(ValueError, match="stateful=False"):
        layer.reset_state()

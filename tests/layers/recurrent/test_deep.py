"""DeepRNN: level-by-level NumPy reference, padded == alone, states of every
level, initial states, Keras and Bidirectional levels, serialization."""

import json

import keras
import numpy as np
import pytest

from keras_seqlayers.layers import GRU, LSTM, Bidirectional, DeepRNN, SimpleRNN
from tests.harness import check_repeated_config_round_trips, run_layer_test
from tests.layers.recurrent.reference import run, step_for

RNG = np.random.default_rng(21)
LENGTHS = np.array([6, 4, 1])
X = RNG.normal(size=(3, 6, 4)).astype("float32")
MASK = np.arange(6)[None, :] < LENGTHS[:, None]


def _np(tensor):
    return keras.ops.convert_to_numpy(tensor)


def _randomize(layer):
    layer.set_weights(
        [RNG.normal(scale=0.5, size=w.shape).astype("float32") for w in layer.weights]
    )


def test_matches_numpy_level_by_level():
    deep = DeepRNN(
        [GRU(5), SimpleRNN(3), LSTM(4)], return_sequences=True, return_state=True
    )
    deep.build(X.shape)
    _randomize(deep)
    initial = [RNG.normal(size=(3, n)).astype("float32") for n in (5, 3, 4, 4)]
    output, *states = deep(X, mask=MASK, initial_state=initial)
    sequence = X.astype("float64")
    want_states = []
    given = [initial[:1], initial[1:2], initial[2:]]
    for level, level_initial in zip(deep.levels, given, strict=True):
        sequence, final = run(step_for(level), sequence, level_initial, MASK)
        want_states.extend(final)
    np.testing.assert_allclose(_np(output)[MASK], sequence[MASK], atol=1e-5)
    assert len(states) == 4
    for got, want in zip(states, want_states, strict=True):
        np.testing.assert_allclose(_np(got), want, atol=1e-5)


def test_levels_follow_the_stack_options():
    deep = DeepRNN([GRU(5, return_state=True), LSTM(4, return_sequences=True)])
    assert [level.return_sequences for level in deep.levels] == [True, False]
    assert [level.return_state for level in deep.levels] == [False, False]
    assert deep.layers == deep.levels
    assert deep(X).shape == (3, 4)


def test_bidirectional_and_keras_levels_read_each_sequence_alone():
    deep = DeepRNN(
        [Bidirectional(GRU(5)), keras.layers.LSTM(3)],
        return_sequences=True,
        return_state=True,
    )
    deep.build(X.shape)
    _randomize(deep)
    output, *states = (_np(t) for t in deep(X, mask=MASK))
    assert len(states) == 2 + 2
    for i, length in enumerate(LENGTHS):
        alone = X[i : i + 1, :length]
        hidden, *bi_states = deep.levels[0](alone)
        top, *top_states = deep.levels[1](hidden)
        np.testing.assert_allclose(output[i, :length], top[0], atol=1e-5)
        for got, want in zip(states, bi_states + top_states, strict=True):
            np.testing.assert_allclose(got[i], want[0], atol=1e-5)


def test_mask_propagates_to_the_next_layer():
    # Downstream of the stack, a padded batch gives what each sequence gives
    # alone, unpadded: the next layer skipped exactly the padded steps.
    ids = np.array([[3, 4, 5, 6], [7, 8, 0, 0], [9, 0, 0, 0]], "int32")
    inputs = keras.Input((None,), dtype="int32")
    embedded = keras.layers.Embedding(10, 4, mask_zero=True)(inputs)
    hidden = DeepRNN([GRU(3), LSTM(3)], return_sequences=True)(embedded)
    model = keras.Model(inputs, keras.layers.GRU(2)(hidden))
    padded = _np(model(ids))
    for row, got in zip(ids, padded, strict=True):
        alone = _np(model(row[row != 0][None]))[0]
        np.testing.assert_allclose(got, alone, atol=1e-6)
    last = DeepRNN([GRU(3), GRU(3)])(embedded)
    assert getattr(last, "_keras_mask", None) is None


def test_serialize_deserialize_safe_mode():
    deep = DeepRNN(
        [Bidirectional(LSTM(4), merge_mode="ave"), keras.layers.GRU(3)],
        return_state=True,
        name="deep",
    )
    deep.build(X.shape)
    data = json.loads(json.dumps(keras.saving.serialize_keras_object(deep)))
    revived = keras.saving.deserialize_keras_object(data, safe_mode=True)
    assert type(revived) is DeepRNN
    assert [type(level) for level in revived.levels] == [
        Bidirectional,
        keras.layers.GRU,
    ]
    assert revived.get_config() == deep.get_config()
    revived.set_weights(deep.get_weights())
    for a, b in zip(
        keras.tree.flatten(revived(X)), keras.tree.flatten(deep(X)), strict=True
    ):
        np.testing.assert_allclose(_np(a), _np(b), atol=1e-6)


def test_config_round_trips_repeat_and_leave_configs_alone():
    # Keras's deserializers edit the configs they are given (and a layer's
    # stored dicts are tracked): get_config and from_config hand out copies.
    deep = DeepRNN(
        [
            keras.layers.Bidirectional(keras.layers.LSTM(2)),
            Bidirectional(keras.layers.RNN(keras.layers.GRUCell(2))),
            keras.layers.RNN(keras.layers.SimpleRNNCell(2)),
            GRU(3),
        ]
    )
    deep(X)
    check_repeated_config_round_trips(deep, X)


def test_bad_arguments():
    with pytest.raises(ValueError, match="non-empty list"):
        DeepRNN([])
    with pytest.raises(ValueError, match=r"received layers\[1\]="):
        DeepRNN([GRU(3), keras.layers.Dense(3)])
    with pytest.raises(ValueError, match="merge_mode=None"):
        DeepRNN([Bidirectional(GRU(3), merge_mode=None)])
    with pytest.raises(ValueError, match="go_backwards=True"):
        DeepRNN([GRU(3, go_backwards=True)])
    deep = DeepRNN([GRU(3), LSTM(2)])
    with pytest.raises(ValueError, match="`initial_state` must be a list of 3"):
        deep(X, initial_state=[np.zeros((3, 3), "float32")])
    with pytest.raises(ValueError, match="rank 3"):
        DeepRNN([GRU(3)]).build((3, 4))


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {"layers": [GRU(5), LSTM(4)], "return_sequences": True},
            (3, 6, 4),
        ),
        (
            {
                "layers": [Bidirectional(GRU(3)), keras.layers.GRU(4)],
                "return_state": True,
            },
            [(3, 4), (3, 3), (3, 3), (3, 4)],
        ),
    ],
    ids=["ours", "bidirectional_keras_state"],
)
def test_layer_harness(kwargs, expected, tmp_path):
    run_layer_test(
        DeepRNN,
        kwargs,
        X,
        expected_output_shape=expected,
        mask=MASK,
        tmp_path=tmp_path,
    )


@pytest.mark.parametrize("reset", ["reset_state", "reset_states"])
def test_reset_state_resets_every_stateful_level(reset):
    deep = DeepRNN(
        [
            GRU(3, stateful=True),
            Bidirectional(LSTM(2, stateful=True)),
            SimpleRNN(3, stateful=True),
        ]
    )
    first = _np(deep(X))
    assert not np.allclose(_np(deep(X)), first)  # states carried over
    getattr(deep, reset)()
    for level in (deep.levels[0], deep.levels[2]):
        for state in level.states:
            np.testing.assert_array_equal(_np(state), 0.0)
    for direction in (deep.levels[1].forward_layer, deep.levels[1].backward_layer):
        for state in direction.states:
            np.testing.assert_array_equal(_np(state), 0.0)
    np.testing.assert_allclose(_np(deep(X)), first, atol=1e-6)


@pytest.mark.parametrize(
    "wrapper", [keras.layers.Bidirectional, Bidirectional], ids=["keras", "ours"]
)
def test_every_level_uses_the_stack_dtype_policy_inside_wrappers(wrapper):
    deep = DeepRNN([wrapper(keras.layers.LSTM(4)), GRU(3)], dtype="float64")
    inner = deep.levels[0]
    for layer in (inner, inner.forward_layer, inner.backward_layer, deep.levels[1]):
        assert layer.dtype_policy.name == "float64"
    output = deep(np.zeros((2, 5, 3), "float32"))
    assert keras.backend.standardize_dtype(output.dtype) == "float64"
    again = DeepRNN.from_config(deep.get_config())
    assert again.levels[0].forward_layer.dtype_policy.name == "float64"


@pytest.mark.parametrize("wrapped", [False, True], ids=["plain", "bidirectional"])
def test_the_cell_of_a_keras_rnn_level_uses_the_stack_dtype_policy(wrapped):
    level = keras.layers.RNN(keras.layers.GRUCell(4))
    if wrapped:
        level = keras.layers.Bidirectional(level)
    deep = DeepRNN([level], dtype="float64")
    deep(np.zeros((2, 5, 3), "float32"))
    rnn = deep.levels[0].forward_layer if wrapped else deep.levels[0]
    assert rnn.cell.dtype_policy.name == "float64"
    assert keras.backend.standardize_dtype(rnn.cell.kernel.dtype) == "float64"

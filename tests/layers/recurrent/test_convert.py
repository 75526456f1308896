"""from_keras, to_keras and convert_weights: Keras's recurrent layers and ours."""

import keras
import numpy as np
import pytest

from keras_seqlayers import layers as ksl

RNG = np.random.default_rng(11)
X = RNG.normal(size=(3, 6, 4)).astype("float32")
MASK = np.arange(6)[None, :] < np.array([6, 3, 1])[:, None]

KERAS_LAYERS = {
    "gru_reset_after": lambda **o: keras.layers.GRU(5, **o),
    "gru_reset_before": lambda **o: keras.layers.GRU(5, reset_after=False, **o),
    "gru_no_bias": lambda **o: keras.layers.GRU(5, use_bias=False, **o),
    "lstm": lambda **o: keras.layers.LSTM(5, **o),
    "simple_rnn": lambda **o: keras.layers.SimpleRNN(5, activation="relu", **o),
}
OPTIONS = {
    "last": {},
    "sequences_and_states": {"return_sequences": True, "return_state": True},
    "backwards": {"go_backwards": True, "return_sequences": True},
}


def _randomize(layer):
    """Random weights, so that every gate block matters (not the initializers)."""
    rng = np.random.default_rng(5)
    layer.set_weights(
        [rng.normal(scale=0.5, size=w.shape).astype("float32") for w in layer.weights]
    )


def _assert_same_outputs(got, want, atol=1e-6):
    got, want = keras.tree.flatten(got), keras.tree.flatten(want)
    assert len(got) == len(want)
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(
            keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b), atol=atol
        )


@pytest.mark.parametrize("masked", [False, True], ids=["unmasked", "masked"])
@pytest.mark.parametrize("options", OPTIONS.values(), ids=OPTIONS.keys())
@pytest.mark.parametrize("make", KERAS_LAYERS.values(), ids=KERAS_LAYERS.keys())
def test_from_keras_and_back_reproduce_the_outputs(make, options, masked):
    mask = MASK if masked else None
    theirs = make(**options)
    theirs(X)
    _randomize(theirs)
    ours = ksl.from_keras(theirs)
    assert type(ours).__name__ == type(theirs).__name__
    assert type(ours).__module__.startswith("keras_seqlayers")
    _assert_same_outputs(ours(X, mask=mask), theirs(X, mask=mask))
    back = ksl.to_keras(ours)
    assert type(back) is type(theirs)
    _assert_same_outputs(back(X, mask=mask), theirs(X, mask=mask))
    for a, b in zip(back.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("reset_after", [False, True])
def test_our_gru_to_keras_keeps_reset_after_and_outputs(reset_after):
    ours = ksl.GRU(5, reset_after=reset_after, return_sequences=True)
    ours(X)
    _randomize(ours)
    theirs = ksl.to_keras(ours)
    assert isinstance(theirs, keras.layers.GRU)
    assert theirs.reset_after is reset_after
    _assert_same_outputs(theirs(X, mask=MASK), ours(X, mask=MASK))


def test_from_keras_keeps_the_configuration():
    theirs = keras.layers.LSTM(
        7,
        activation="relu",
        recurrent_dropout=0.25,
        unit_forget_bias=False,
        return_sequences=True,
        go_backwards=True,
        name="encoder",
    )
    ours = ksl.from_keras(theirs)
    assert not ours.built
    assert ours.name == "encoder"
    assert (ours.units, ours.recurrent_dropout) == (7, 0.25)
    assert keras.activations.serialize(ours.activation) == "relu"
    assert (ours.unit_forget_bias, ours.return_sequences, ours.go_backwards) == (
        False,
        True,
        True,
    )


def test_stateful_layer_converts_with_its_batch_size():
    theirs = keras.layers.GRU(5, stateful=True)
    theirs(X)
    _randomize(theirs)
    ours = ksl.from_keras(theirs)
    assert ours.stateful
    assert tuple(ours.states[0].shape) == (3, 5)
    theirs.reset_state()
    for _ in range(2):  # the second call starts from the carried states
        _assert_same_outputs(ours(X), theirs(X))


@pytest.mark.parametrize(
    "keras_cell",
    [
        lambda: keras.layers.GRUCell(5),
        lambda: keras.layers.GRUCell(5, reset_after=False),
        lambda: keras.layers.LSTMCell(5),
        lambda: keras.layers.SimpleRNNCell(5),
    ],
    ids=["gru_reset_after", "gru_reset_before", "lstm", "simple_rnn"],
)
def test_cells_convert_both_ways(keras_cell):
    theirs = keras_cell()
    theirs_rnn = keras.layers.RNN(theirs, return_sequences=True)
    theirs_rnn(X)
    _randomize(theirs)
    ours = ksl.from_keras(theirs)
    assert type(ours).__name__ == type(theirs).__name__
    assert ours.built
    want = theirs_rnn(X)
    _assert_same_outputs(keras.layers.RNN(ours, return_sequences=True)(X), want)
    back = ksl.to_keras(ours)
    assert type(back) is type(theirs)
    _assert_same_outputs(keras.layers.RNN(back, return_sequences=True)(X), want)


@pytest.mark.parametrize("masked", [False, True], ids=["unmasked", "masked"])
@pytest.mark.parametrize(
    ("make", "merge_mode"),
    [
        (lambda: keras.layers.GRU(5, return_sequences=True), "concat"),
        (lambda: keras.layers.GRU(5, reset_after=False, return_state=True), "sum"),
        (lambda: keras.layers.LSTM(5, return_sequences=True, return_state=True), None),
        (lambda: keras.layers.SimpleRNN(5), "ave"),
    ],
    ids=["gru", "gru_reset_before_state", "lstm_both", "simple_rnn"],
)
def test_bidirectional_converts_both_ways(make, merge_mode, masked):
    mask = MASK if masked else None
    theirs = keras.layers.Bidirectional(make(), merge_mode=merge_mode)
    theirs(X)
    _randomize(theirs)
    ours = ksl.from_keras(theirs)
    assert isinstance(ours, ksl.Bidirectional)
    assert ours.merge_mode == merge_mode
    _assert_same_outputs(ours(X, mask=mask), theirs(X, mask=mask))
    back = ksl.to_keras(ours)
    assert isinstance(back, keras.layers.Bidirectional)
    _assert_same_outputs(back(X, mask=mask), theirs(X, mask=mask))


def test_bidirectional_with_its_own_backward_layer():
    theirs = keras.layers.Bidirectional(
        keras.layers.GRU(5, return_sequences=True),
        backward_layer=keras.layers.GRU(
            5, reset_after=False, go_backwards=True, return_sequences=True
        ),
    )
    theirs(X)
    _randomize(theirs)
    ours = ksl.from_keras(theirs)
    assert ours.forward_layer.reset_after is True
    assert ours.backward_layer.reset_after is False
    _assert_same_outputs(ours(X, mask=MASK), theirs(X, mask=MASK))


def test_convert_weights_maps_keras_gru_weights_onto_ours():
    theirs = keras.layers.GRU(5, return_sequences=True)
    ours = ksl.GRU(5, reset_after=True, return_sequences=True)
    theirs(X)
    ours(X)
    _randomize(theirs)
    weights = theirs.get_weights()
    converted = ksl.convert_weights(weights, from_=theirs, to=ours)
    # The update block (first `units` columns) is negated, the rest copied.
    for mine, keras_weight in zip(converted, weights, strict=True):
        np.testing.assert_array_equal(mine[..., :5], -keras_weight[..., :5])
        np.testing.assert_array_equal(mine[..., 5:], keras_weight[..., 5:])
    ours.set_weights(converted)
    _assert_same_outputs(ours(X), theirs(X))
    assert ksl.convert_weights(converted, from_=ours, to=theirs)[0].tolist() == (
        weights[0].tolist()
    )


@pytest.mark.parametrize(
    ("to", "match"),
    [
        (lambda: ksl.GRU(5), "reset_after"),
        (lambda: ksl.GRU(6, reset_after=True), "units"),
        (lambda: ksl.GRU(5, reset_after=True, activation="relu"), "activation"),
        (
            lambda: ksl.GRU(5, reset_after=True, recurrent_activation="hard_sigmoid"),
            "recurrent_activation",
        ),
        (lambda: ksl.GRU(5, reset_after=True, use_bias=False), "use_bias"),
        (lambda: ksl.LSTM(5), "a GRU and `to` a LSTM"),
    ],
    ids=["reset_after", "units", "activation", "recurrent_activation", "bias", "lstm"],
)
def test_convert_weights_refuses_a_different_function(to, match):
    theirs = keras.layers.GRU(5)
    theirs(X)
    with pytest.raises(ValueError, match=match):
        ksl.convert_weights(theirs.get_weights(), from_=theirs, to=to())


def test_convert_weights_refuses_weights_of_another_shape():
    theirs = keras.layers.GRU(5)
    theirs(X)
    weights = theirs.get_weights()
    with pytest.raises(ValueError, match=r"`weights` must be the weights of `from_`"):
        ksl.convert_weights(weights[:2], from_=theirs, to=ksl.GRU(5, reset_after=True))
    with pytest.raises(ValueError, match=r"shapes \[\(4, 15\), \(5, 15\), \(15,\)\]"):
        ksl.convert_weights(
            [weights[0], weights[1], weights[2][0]],
            from_=theirs,
            to=ksl.GRU(5, reset_after=True),
        )


def test_convert_weights_refuses_a_wrapper_and_a_plain_layer():
    theirs = keras.layers.Bidirectional(keras.layers.GRU(5))
    theirs(X)
    with pytest.raises(ValueError, match="both be Bidirectional"):
        ksl.convert_weights(theirs.get_weights(), from_=theirs, to=ksl.GRU(5))


def test_unsupported_layers_are_refused_by_name():
    with pytest.raises(TypeError, match="`from_` must be a GRU, LSTM or SimpleRNN"):
        ksl.convert_weights([], from_=keras.layers.Dense(3), to=ksl.GRU(3))
    with pytest.raises(TypeError, match="`layer` must be a GRU, LSTM or SimpleRNN"):
        ksl.from_keras(keras.layers.RNN(keras.layers.GRUCell(3)))
    with pytest.raises(TypeError, match=r"the other way with .*to_keras"):
        ksl.from_keras(ksl.GRU(3))
    with pytest.raises(TypeError, match=r"the other way with .*from_keras"):
        ksl.to_keras(keras.layers.Bidirectional(keras.layers.LSTM(3)))


@pytest.mark.parametrize("reset_after", [False, True])
@pytest.mark.parametrize("target", ["layer", "cell"])
def test_set_weights_with_the_other_variants_bias_points_to_the_converters(
    reset_after, target
):
    # Keras's GRU weights of the other variant: the bias shape tells.
    theirs = keras.layers.GRU(4, reset_after=not reset_after)
    theirs(X)
    ours = ksl.GRU(4, reset_after=reset_after)
    ours(X)
    receiver = ours if target == "layer" else ours.cell
    with pytest.raises(ValueError, match=r"`weights` has a bias of shape.*from_keras"):
        receiver.set_weights(theirs.get_weights())


def _train_one_step(model):
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, np.ones((3, 1), "float32"), epochs=1, verbose=0)


@pytest.mark.parametrize("direction", ["ours_to_keras", "keras_to_ours"])
def test_train_with_one_serve_with_the_other_through_a_keras_file(direction, tmp_path):
    if direction == "ours_to_keras":
        trained_rnn, convert = ksl.Bidirectional(ksl.GRU(5)), ksl.to_keras
    else:
        trained_rnn, convert = keras.layers.GRU(5), ksl.from_keras
    inputs = keras.Input((6, 4))
    dense = keras.layers.Dense(1)
    trained = keras.Model(inputs, dense(trained_rnn(inputs)))
    _train_one_step(trained)
    serving_inputs = keras.Input((6, 4))
    serving_dense = keras.layers.Dense(1)
    serving = keras.Model(
        serving_inputs, serving_dense(convert(trained_rnn)(serving_inputs))
    )
    serving_dense.set_weights(dense.get_weights())
    path = tmp_path / "serving.keras"
    serving.save(path)
    reloaded = keras.saving.load_model(path)
    _assert_same_outputs(reloaded(X), trained(X))

"""Every argument of Keras's recurrent layers and cells, with Keras's meaning."""

import inspect

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_seqlayers as ksl
from tests.layers.recurrent.keras_twins import (
    compare_with_keras,
    negate_update_block,
    same_weights,
)

RNG = np.random.default_rng(19)
X = RNG.normal(size=(3, 6, 4)).astype("float32")
# Masked steps in the middle and at both ends, so that repeated outputs and
# zeros both show, in either direction.
MASK = np.array(
    [
        [True, True, True, True, True, True],
        [False, True, True, False, True, False],
        [True, False, False, False, False, False],
    ]
)

LAYERS = [ksl.layers.SimpleRNN, ksl.layers.GRU, ksl.layers.LSTM]
# Ours and Keras's on the same weights: GRU in its cuDNN variant on both
# sides (Keras's default), its update block negated.
TWINS = [
    pytest.param(
        ksl.layers.SimpleRNN, keras.layers.SimpleRNN, {}, same_weights, id="simple_rnn"
    ),
    pytest.param(
        ksl.layers.GRU,
        keras.layers.GRU,
        {"reset_after": True},
        negate_update_block,
        id="gru",
    ),
    pytest.param(ksl.layers.LSTM, keras.layers.LSTM, {}, same_weights, id="lstm"),
]
PAIRS = [
    (ksl.layers.SimpleRNN, keras.layers.SimpleRNN),
    (ksl.layers.GRU, keras.layers.GRU),
    (ksl.layers.LSTM, keras.layers.LSTM),
    (ksl.layers.SimpleRNNCell, keras.layers.SimpleRNNCell),
    (ksl.layers.GRUCell, keras.layers.GRUCell),
    (ksl.layers.LSTMCell, keras.layers.LSTMCell),
    (ksl.layers.Bidirectional, keras.layers.Bidirectional),
]
# The documented differences (the class docstrings and docs/migrating.md).
OUR_DEFAULTS = {
    ksl.layers.GRU: {"reset_after": False},
    ksl.layers.GRUCell: {"reset_after": False},
}


def _parameters(cls):
    return {
        name: parameter.default
        for name, parameter in inspect.signature(cls).parameters.items()
        if parameter.kind is not parameter.VAR_KEYWORD
    }


@pytest.mark.parametrize(("ours", "theirs"), PAIRS, ids=lambda c: c.__name__)
def test_signature_lists_every_keras_argument_and_default(ours, theirs):
    expected = {**_parameters(theirs), **OUR_DEFAULTS.get(ours, {})}
    if issubclass(theirs, keras.layers.RNN):
        # Keras's layers take it through **kwargs, for keras.layers.RNN.
        rnn_default = _parameters(keras.layers.RNN)["zero_output_for_mask"]
        expected["zero_output_for_mask"] = rnn_default
    got = _parameters(ours)
    assert list(got) == list(expected)
    assert got == expected
    assert "**kwargs" in str(inspect.signature(ours))


@pytest.mark.parametrize("layer_cls", LAYERS)
def test_layer_and_cell_defaults_agree(layer_cls):
    cell_defaults = _parameters(layer_cls.cell_class)
    layer_defaults = _parameters(layer_cls)
    assert {name: layer_defaults[name] for name in cell_defaults} == cell_defaults


@pytest.mark.parametrize(
    ("make", "config_key"),
    [
        (lambda: ksl.layers.SimpleRNN(4, unroll=True), "unroll"),
        (lambda: ksl.layers.LSTM(3, implementation=2), None),
        (lambda: ksl.layers.GRU(3, use_cudnn=False), "use_cudnn"),
        (lambda: ksl.layers.GRU(3, zero_output_for_mask=True), "zero_output_for_mask"),
        (lambda: ksl.layers.LSTM(3, activity_regularizer="l2"), "activity_regularizer"),
    ],
)
def test_keras_arguments_are_accepted_and_round_trip(make, config_key):
    layer = make()
    config = layer.get_config()
    assert "implementation" not in config
    if config_key is not None:
        assert (
            type(layer).from_config(config).get_config()[config_key]
            == (config[config_key])
        )


@pytest.mark.parametrize(
    "cls",
    [*LAYERS, ksl.layers.SimpleRNNCell, ksl.layers.GRUCell, ksl.layers.LSTMCell],
)
@pytest.mark.parametrize("implementation", [0, 1, 2])
def test_legacy_implementation_in_a_config_is_ignored(cls, implementation):
    reference = cls(3, seed=1)
    layer = cls.from_config(
        {**reference.get_config(), "implementation": implementation}
    )
    assert layer.get_config() == reference.get_config()


def test_bad_implementation_is_refused():
    with pytest.raises(
        ValueError, match=r"`implementation`.*received implementation=3"
    ):
        ksl.layers.GRU(3, implementation=3)


@pytest.mark.parametrize("layer_cls", [ksl.layers.GRU, ksl.layers.LSTM])
def test_use_cudnn(layer_cls):
    assert layer_cls(3).use_cudnn == "auto"
    assert layer_cls(3, use_cudnn=False).use_cudnn is False
    with pytest.raises(ValueError, match=r"use_cudnn=True.*no cuDNN kernel"):
        layer_cls(3, use_cudnn=True)
    with pytest.raises(ValueError, match=r"`use_cudnn` must be 'auto' or False"):
        layer_cls(3, use_cudnn="yes")


def test_simple_rnn_has_no_use_cudnn_as_in_keras():
    assert not hasattr(ksl.layers.SimpleRNN(3), "use_cudnn")
    with pytest.raises(ValueError, match="use_cudnn"):
        ksl.layers.SimpleRNN(3, use_cudnn="auto")


def _twin(ours, theirs, options, **common):
    a, b = ours(5, **options, **common), theirs(5, **options, **common)
    a(X), b(X)
    return a, b


@pytest.mark.parametrize(("ours", "theirs", "options", "to_ours"), TWINS)
@pytest.mark.parametrize("zero_output_for_mask", [False, True])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_zero_output_for_mask_matches_keras(
    ours, theirs, options, to_ours, zero_output_for_mask, go_backwards
):
    a, b = _twin(
        ours,
        theirs,
        options,
        return_sequences=True,
        return_state=True,
        go_backwards=go_backwards,
        zero_output_for_mask=zero_output_for_mask,
    )
    compare_with_keras(a, b, to_ours, X, mask=MASK)
    outputs = keras.ops.convert_to_numpy(a(X, mask=MASK)[0])
    read = MASK[:, ::-1] if go_backwards else MASK  # in the order steps are read
    assert np.all(outputs[~read] == 0) == zero_output_for_mask


@pytest.mark.parametrize(("ours", "theirs", "options", "to_ours"), TWINS)
@pytest.mark.parametrize("go_backwards", [False, True])
def test_zero_output_for_mask_zeros_a_masked_last_step_as_keras_does(
    ours, theirs, options, to_ours, go_backwards
):
    a, b = _twin(
        ours, theirs, options, go_backwards=go_backwards, zero_output_for_mask=True
    )
    compare_with_keras(a, b, to_ours, X, mask=MASK)


@pytest.mark.parametrize(("ours", "theirs", "options", "to_ours"), TWINS)
@pytest.mark.parametrize("zero_output_for_mask", [False, True])
def test_bidirectional_zeros_masked_steps_as_keras_does(
    ours, theirs, options, to_ours, zero_output_for_mask
):
    # Keras's Bidirectional sets its layers' zero_output_for_mask to their
    # return_sequences, whatever the wrapped layer said.
    common = {"return_sequences": True, "zero_output_for_mask": zero_output_for_mask}
    a = ksl.layers.Bidirectional(ours(5, **options, **common))
    b = keras.layers.Bidirectional(theirs(5, **options, **common))
    a(X), b(X)
    weights = [
        RNG.normal(scale=0.4, size=w.shape).astype("float32") for w in b.get_weights()
    ]
    b.set_weights(weights)
    half = len(weights) // 2
    a.set_weights(to_ours(weights[:half], 5) + to_ours(weights[half:], 5))
    np.testing.assert_allclose(a(X, mask=MASK), b(X, mask=MASK), atol=1e-5)


@pytest.mark.parametrize("layer_cls", LAYERS)
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("zero_output_for_mask", [False, True])
def test_unroll_gives_the_loop_outputs(
    layer_cls, go_backwards, masked, zero_output_for_mask
):
    options = {
        "return_sequences": True,
        "return_state": True,
        "go_backwards": go_backwards,
        "zero_output_for_mask": zero_output_for_mask,
    }
    looped = layer_cls(5, **options)
    unrolled = layer_cls(5, unroll=True, **options)
    looped(X), unrolled(X)
    unrolled.set_weights(looped.get_weights())
    mask = MASK if masked else None
    for a, b in zip(unrolled(X, mask=mask), looped(X, mask=mask), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)


def _loop_ops(layer, shape):
    layer(np.zeros((1, 6, 4), "float32"))
    function = tf.function(lambda x: layer(x))
    graph = function.get_concrete_function(tf.TensorSpec(shape, tf.float32)).graph
    return {op.type for op in graph.get_operations()} & {"While", "StatelessWhile"}


@pytest.mark.parametrize("layer_cls", LAYERS)
def test_unroll_builds_no_loop(layer_cls):
    assert _loop_ops(layer_cls(3), (None, 6, 4))
    assert not _loop_ops(layer_cls(3, unroll=True), (None, 6, 4))
    assert not _loop_ops(layer_cls(3, unroll=True, return_sequences=True), (2, 6, 4))


@pytest.mark.parametrize(
    "make",
    [
        lambda: ksl.layers.GRU(3, unroll=True),
        lambda: keras.layers.GRU(3, unroll=True),
    ],
    ids=["ours", "keras"],
)
def test_unroll_needs_a_known_time_length_as_in_keras(make):
    layer = make()
    with pytest.raises(ValueError, match="nroll"):
        _loop_ops(layer, (None, None, 4))


def test_our_unroll_error_names_the_argument():
    layer = ksl.layers.LSTM(3, unroll=True)
    with pytest.raises(ValueError, match=r"`unroll=True` needs a known number of time"):
        _loop_ops(layer, (None, None, 4))


@pytest.mark.parametrize("template", LAYERS)
def test_bidirectional_weights_are_set_at_build(template):
    reference = ksl.layers.Bidirectional(template(3))
    reference(X)
    weights = [
        RNG.normal(size=w.shape).astype("float32") for w in reference.get_weights()
    ]
    reference.set_weights(weights)
    layer = ksl.layers.Bidirectional(template(3), weights=weights)
    outputs = layer(X, mask=MASK)
    for got, want in zip(layer.get_weights(), weights, strict=True):
        np.testing.assert_array_equal(got, want)
    np.testing.assert_allclose(outputs, reference(X, mask=MASK), atol=1e-6)
    assert "weights" not in layer.get_config()


def test_bidirectional_weights_must_be_an_even_list():
    with pytest.raises(ValueError, match=r"`weights`.*even count"):
        ksl.layers.Bidirectional(ksl.layers.GRU(3), weights=[np.zeros((4, 9))])


@pytest.mark.parametrize("cls", [ksl.layers.GRU, ksl.layers.LSTM, ksl.layers.SimpleRNN])
def test_a_subclass_that_passes_everything_on_keeps_every_argument(cls):
    # Keras users subclass recurrent layers with `*args, **kwargs`.
    class Subclass(cls):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)

    layer = Subclass(3, return_sequences=True)
    assert layer.get_config() == {
        **cls(3, return_sequences=True).get_config(),
        "name": layer.name,
    }
    assert layer(np.zeros((2, 4, 5), "float32")).shape == (2, 4, 3)

"""The layers under Keras's JAX backend: the harness's backend-neutral checks,
parity with the NumPy references, and the clear errors of the
TensorFlow-only parts."""

import keras
import numpy as np
import pytest

import keras_seqlayers as ksl
from keras_seqlayers import embeddings as kemb
from keras_seqlayers.layers import (
    GRU,
    LSTM,
    Bidirectional,
    Debias,
    DeepRNN,
    GloVe,
    HierarchicalSoftmax,
    NegativeSampling,
    SimpleRNN,
    SkipGram,
)
from tests.embeddings.synthetic import synthetic_embeddings
from tests.harness import run_layer_test
from tests.layers.recurrent.reference import run, step_for

# Keras's JAX backend converts arrays with `np.array(x)` on objects whose
# `__array__` lacks NumPy 2's `copy` keyword; the warning is Keras's own.
pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)

RNG = np.random.default_rng(5)
X = RNG.normal(size=(3, 5, 4)).astype("float32")
MASK = np.arange(5)[None, :] < np.array([5, 3, 1])[:, None]
COUNTS = [30, 12, 7, 4, 2, 1]


def _ids(*shape, vocab=6, seed=0):
    return np.random.default_rng(seed).integers(0, vocab, shape).astype("int32")


def _check(layer_cls, init_kwargs, inputs, expected, tmp_path, **options):
    """The harness without the SavedModel exports, which need TensorFlow."""
    return run_layer_test(
        layer_cls,
        init_kwargs,
        inputs,
        expected_output_shape=expected,
        exports=False,
        mixed_precision=False,
        tmp_path=tmp_path,
        **options,
    )


def test_keras_runs_on_jax():
    assert keras.backend.backend() == "jax"


@pytest.mark.parametrize(
    ("layer_cls", "kwargs", "expected"),
    [
        (SimpleRNN, {"units": 3, "return_sequences": True}, (3, 5, 3)),
        (GRU, {"units": 3, "reset_after": True, "go_backwards": True}, (3, 3)),
        (
            LSTM,
            {"units": 3, "return_state": True, "dropout": 0.2, "seed": 1},
            [(3, 3), (3, 3), (3, 3)],
        ),
        (
            Bidirectional,
            {"layer": GRU(3, return_sequences=True), "merge_mode": "concat"},
            (3, 5, 6),
        ),
        (DeepRNN, {"layers": [GRU(3), LSTM(2)], "return_sequences": True}, (3, 5, 2)),
    ],
    ids=["simple_rnn", "gru", "lstm", "bidirectional", "deep_rnn"],
)
def test_recurrent_harness(layer_cls, kwargs, expected, tmp_path):
    _check(layer_cls, kwargs, X, expected, tmp_path, mask=MASK)


@pytest.mark.parametrize(
    ("layer_cls", "kwargs"),
    [
        (SimpleRNN, {}),
        (GRU, {}),
        (GRU, {"reset_after": True}),
        (LSTM, {"go_backwards": True}),
    ],
    ids=["simple_rnn", "gru", "gru_reset_after", "lstm_backwards"],
)
def test_recurrent_layers_equal_the_numpy_reference(layer_cls, kwargs):
    layer = layer_cls(3, return_sequences=True, **kwargs)
    outputs = keras.ops.convert_to_numpy(layer(X, mask=MASK))
    states = [np.zeros((3, 3))] * (2 if layer_cls is LSTM else 1)
    # `run` returns the outputs in processing order, as the layers do.
    expected, _ = run(step_for(layer), X, states, MASK, kwargs.get("go_backwards"))
    np.testing.assert_allclose(outputs, expected, atol=1e-5)


def test_skipgram_harness(tmp_path):
    _check(SkipGram, {"vocab_size": 6, "embedding_dim": 3}, _ids(4), (4, 6), tmp_path)


def test_negative_sampling_harness(tmp_path):
    kwargs = {"vocab_size": 6, "embedding_dim": 3, "num_negatives": 2}
    kwargs.update(counts=COUNTS, seed=7)
    _check(NegativeSampling, kwargs, [_ids(5), _ids(5, seed=1)], (5,), tmp_path)


def test_hierarchical_softmax_harness(tmp_path):
    kwargs = {"counts": COUNTS, "embedding_dim": 3}
    _check(HierarchicalSoftmax, kwargs, [_ids(5), _ids(5, seed=1)], (5,), tmp_path)


def test_glove_harness(tmp_path):
    kwargs = {"vocab_size": 6, "embedding_dim": 3}
    _check(GloVe, kwargs, [_ids(4, 3), _ids(4, 3, seed=1)], (4, 3), tmp_path)


def test_glove_trains_with_its_loss_and_adagrad():
    pairs = keras.Input((2,), dtype="int32")
    model = keras.Model(pairs, GloVe(6, 3)(pairs))
    model.compile(optimizer="adagrad", loss=ksl.losses.GloVeLoss(x_max=10.0))
    ids = np.stack([_ids(8), _ids(8, seed=1)], axis=1)
    counts = np.arange(1.0, 9.0, dtype="float32")
    history = model.fit(ids, counts, epochs=3, batch_size=8, verbose=0)
    losses = history.history["loss"]
    assert np.all(np.isfinite(losses))
    assert losses[-1] < losses[0]


def test_debias_harness(tmp_path):
    words, vectors, definitional, pairs, specific, _ = synthetic_embeddings()
    state = kemb.bias.hard_debias_state(vectors, words, definitional, pairs, specific)

    names = ("direction", "neutral_ids", "equalize_pairs", "equalize_means")

    def configure(layer):
        layer.set_state(*(state[name] for name in names))

    ids = np.array([[6, 12, 0], [7, 9, 20]], "int32")
    x = vectors[ids].astype("float32")
    layer = _check(
        Debias,
        {"vocab_size": len(words), "num_equalize_pairs": len(pairs)},
        [ids, x],
        (2, 3, 8),
        tmp_path,
        configure=configure,
        trains=False,
    )
    expected = kemb.debias_embeddings(vectors, words, definitional, pairs, specific)
    out = keras.ops.convert_to_numpy(layer([ids, x]))
    np.testing.assert_allclose(out, expected[ids], atol=1e-6)


def test_sgd_update_says_it_needs_tensorflow():
    layer = NegativeSampling(6, 3, counts=COUNTS, seed=0)
    layer.build(None)
    before = [w.numpy().copy() for w in layer.weights]
    with pytest.raises(RuntimeError, match=r"`sgd_update` needs the TensorFlow.*'jax'"):
        layer.sgd_update([_ids(2), _ids(2, seed=1)], 0.1)
    for b, w in zip(before, layer.weights, strict=True):
        np.testing.assert_array_equal(w.numpy(), b)


def test_adagrad_update_says_it_needs_tensorflow():
    layer = GloVe(6, 3)
    layer.build()
    sums = [keras.Variable(np.ones(w.shape, "float32")) for w in layer.weights]
    with pytest.raises(RuntimeError, match=r"`adagrad_update` needs the TensorFlow"):
        layer.adagrad_update(
            (_ids(2), _ids(2, seed=1)),
            targets=np.ones(2),
            weights=np.ones(2),
            accumulators=sums,
            learning_rate=0.1,
        )


def test_export_says_it_needs_tensorflow(tmp_path):
    tokens = keras.Input((None,), dtype="int32", name="tokens")
    model = keras.Model(tokens, GRU(2)(keras.layers.Embedding(6, 3)(tokens)))
    with pytest.raises(RuntimeError, match=r"`export` needs the TensorFlow.*'jax'"):
        ksl.serving.export(model, tmp_path / "exported")
    assert not (tmp_path / "exported").exists()


def test_text_pipeline_feeds_fit():
    # tf.data pipelines need TensorFlow installed, not as Keras's backend.
    corpus = [[3, 4, 5, 3, 4, 5, 2], [5, 4, 3, 2]]
    dataset = ksl.text.skipgram_dataset(corpus, window=2, sample=0, batch_size=4)
    # The layer's output is the loss: the target is a placeholder.
    dataset = dataset.map(lambda center, context: ((center, context), center * 0))
    center = keras.Input((), dtype="int32")
    context = keras.Input((), dtype="int32")
    loss = NegativeSampling(6, 3, counts=COUNTS, seed=0)([center, context])
    model = keras.Model([center, context], loss)
    model.compile(optimizer="adam", loss=lambda _, per_pair: per_pair)
    before = model.get_weights()
    # Repeated with a step count: Keras's JAX trainer warns when a pipeline
    # of unknown length runs out.
    history = model.fit(
        dataset.repeat(), epochs=1, steps_per_epoch=3, verbose=0, shuffle=False
    )
    assert np.isfinite(history.history["loss"][-1])
    assert any(
        not np.array_equal(b, a)
        for b, a in zip(before, model.get_weights(), strict=True)
    )

"""The Debias layer: harness, agreement with debias_embeddings, invariants."""

import zipfile

import keras
import numpy as np
import pytest

from keras_seqlayers import embeddings as kemb
from keras_seqlayers.layers import Debias
from tests.embeddings.synthetic import synthetic_embeddings
from tests.embeddings.test_bias import _check_debiased
from tests.harness import run_layer_test

TOL = 1e-6


@pytest.fixture
def emb():
    return synthetic_embeddings()


def _apply(layer, vectors):
    ids = np.arange(len(vectors), dtype="int32")
    return keras.ops.convert_to_numpy(layer([ids, vectors.astype("float32")]))


# Debias has no trainable weights (its state is set, not learned); the
# harness's fit step still runs it, and Keras says so.
@pytest.mark.filterwarnings("ignore:The model does not have any trainable weights")
@pytest.mark.parametrize(
    ("variant", "renormalize", "with_pairs"),
    [("paper", True, True), ("course", False, False)],
)
def test_harness(tmp_path, emb, variant, renormalize, with_pairs):
    words, vectors, definitional, pairs, specific, _ = emb
    pairs = pairs if with_pairs else []
    options = dict(equalize=variant, renormalize=renormalize)
    state = kemb.bias.hard_debias_state(
        vectors, words, definitional, pairs, specific, renormalize=renormalize
    )

    def configure(layer):
        layer.set_state(
            state["direction"],
            state["neutral_ids"],
            state["equalize_pairs"],
            state["equalize_means"],
        )

    ids = np.array([[6, 12, 0], [7, 9, 20], [8, 15, 3], [23, 1, 10]], "int32")
    x = vectors[ids].astype("float32")
    layer = run_layer_test(
        Debias,
        {
            "vocab_size": len(words),
            "num_equalize_pairs": len(pairs),
            **options,
        },
        [ids, x],
        expected_output_shape=(4, 3, 8),
        configure=configure,
        trains=False,
        tmp_path=tmp_path,
    )
    # The state really acted (the harness compared runs, not the math).
    expected = kemb.debias_embeddings(
        vectors, words, definitional, pairs, specific, **options
    )
    out = keras.ops.convert_to_numpy(layer([ids, x]))
    np.testing.assert_allclose(out, expected[ids], atol=TOL)


@pytest.mark.parametrize("variant", ["paper", "course"])
@pytest.mark.parametrize("renormalize", [True, False])
def test_layer_agrees_with_debias_embeddings_and_invariants(emb, variant, renormalize):
    words, vectors, definitional, pairs, specific, _ = emb
    kwargs = dict(equalize=variant, renormalize=renormalize)
    layer = Debias.from_word_lists(
        words, vectors, definitional, pairs, specific, **kwargs
    )
    out = _apply(layer, vectors)
    expected = kemb.debias_embeddings(
        vectors, words, definitional, pairs, specific, **kwargs
    )
    np.testing.assert_allclose(out, expected, atol=TOL)
    g = keras.ops.convert_to_numpy(layer.direction).astype("float64")
    _check_debiased(
        words,
        vectors,
        out.astype("float64"),
        g,
        pairs,
        specific,
        variant,
        renormalize,
    )


def test_state_views_and_single_vectors(emb):
    words, vectors, definitional, pairs, specific, _ = emb
    layer = Debias.from_word_lists(words, vectors, definitional, pairs, specific)
    assert layer.neutral_ids.tolist() == list(range(10, len(words)))
    assert layer.equalize_pairs.tolist() == [[6, 7], [8, 9]]
    # Works on a flat batch of ids with (batch, dim) vectors too.
    out = keras.ops.convert_to_numpy(
        layer([np.array([7, 12]), vectors[[7, 12]].astype("float32")])
    )
    full = _apply(layer, vectors)
    np.testing.assert_allclose(out, full[[7, 12]], atol=TOL)


def test_tie_gives_first_word_the_positive_side():
    # Both words project equally on the axis: the first word takes +g.
    g = np.array([1.0, 0.0, 0.0])
    a, b = np.array([0.3, 0.9, 0.1]), np.array([0.3, 0.1, 0.9])
    mean = (a + b) / 2
    layer = Debias.from_arrays(g, [], 2, [[0, 1]], [mean])
    out = keras.ops.convert_to_numpy(
        layer([np.array([0, 1]), np.stack([a, b]).astype("float32")])
    )
    pa, pb = kemb.equalize(a, b, g)
    np.testing.assert_allclose(out, np.stack([pa, pb]), atol=TOL)
    assert out[0, 0] > 0 > out[1, 0]


def test_embedding_then_debias_trains_under_xla(emb):
    words, vectors, definitional, pairs, specific, _ = emb
    for variant in ("paper", "course"):
        debias = Debias.from_word_lists(
            words, vectors, definitional, pairs, specific, equalize=variant
        )
        ids = keras.Input(shape=(3,), dtype="int32")
        embedding = keras.layers.Embedding(len(words), 8)
        out = debias([ids, embedding(ids)])
        model = keras.Model(ids, keras.layers.Dense(1)(out))
        model.compile(optimizer="sgd", loss="mse", jit_compile=True)
        before = keras.ops.convert_to_numpy(embedding.embeddings).copy()
        x = np.array([[6, 12, 0], [7, 9, 20]], "int32")
        history = model.fit(x, np.ones((2, 3, 1)), epochs=1, verbose=0)
        assert np.isfinite(history.history["loss"][-1])
        after = keras.ops.convert_to_numpy(embedding.embeddings)
        # Neutral rows 12 and 20 got gradients; the state did not move.
        assert not np.allclose(before[[12, 20]], after[[12, 20]])
        assert np.all(np.isfinite(after))
        assert not debias.trainable_weights


def test_constructor_errors():
    with pytest.raises(ValueError, match="`vocab_size` must be an integer >= 1"):
        Debias(0)
    with pytest.raises(TypeError, match="`vocab_size` must be an integer >= 1"):
        Debias(10.0)
    with pytest.raises(ValueError, match="`num_equalize_pairs` must be an integer"):
        Debias(10, num_equalize_pairs=-1)
    with pytest.raises(TypeError, match="`num_equalize_pairs` must be an integer"):
        Debias(10, num_equalize_pairs=True)
    with pytest.raises(ValueError, match="needs 8 distinct ids"):
        Debias(5, num_equalize_pairs=4)
    with pytest.raises(ValueError, match="`equalize` must be one of"):
        Debias(10, equalize="soft")
    with pytest.raises(TypeError, match="`renormalize` must be True or False"):
        Debias(10, renormalize=1)


def test_vocabulary_size_is_a_deprecated_name_of_vocab_size():
    with pytest.warns(DeprecationWarning, match="`vocabulary_size` is deprecated"):
        layer = Debias(vocabulary_size=7, num_equalize_pairs=1)
    assert layer.vocab_size == 7
    assert layer.vocabulary_size == 7
    assert "vocabulary_size" not in layer.get_config()
    assert layer.get_config()["vocab_size"] == 7
    with pytest.warns(DeprecationWarning, match="`vocabulary_size` is deprecated"):
        layer = Debias.from_arrays([1.0, 0.0], [3], vocabulary_size=5)
    assert layer.vocab_size == 5
    np.testing.assert_array_equal(layer.neutral_ids, [3])
    with pytest.raises(TypeError, match="`vocab_size` only"):
        Debias(7, vocabulary_size=7)


def test_a_keras_file_saved_under_vocabulary_size_still_loads(tmp_path):
    ids = keras.Input((None,), dtype="int32")
    vectors = keras.Input((None, 2))
    layer = Debias.from_arrays([1.0, 0.0], [1, 2], 6)
    model = keras.Model([ids, vectors], layer([ids, vectors]))
    path = tmp_path / "new.keras"
    model.save(path)
    # The file as a release before the rename wrote it: only the key differs.
    old = tmp_path / "old.keras"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(old, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "config.json":
                text = data.decode()
                assert text.count('"vocab_size"') == 1
                data = text.replace('"vocab_size"', '"vocabulary_size"').encode()
            target.writestr(item, data)
    with pytest.warns(DeprecationWarning, match="`vocabulary_size` is deprecated"):
        loaded = keras.saving.load_model(old)
    restored = loaded.layers[-1]
    assert restored.vocab_size == 6
    x = [np.array([[1, 3]]), np.array([[[0.6, 0.8], [0.6, 0.8]]], "float32")]
    np.testing.assert_allclose(loaded(x), model(x), atol=TOL)


def test_state_errors_leave_weights_unchanged(emb):
    words, vectors, definitional, pairs, specific, _ = emb
    layer = Debias.from_word_lists(words, vectors, definitional, pairs, specific)
    before = [w.numpy().copy() for w in layer.weights]
    ok_means = np.zeros((2, 8))
    # Orthogonal to the all-ones direction and longer than 1.
    long_means = np.tile([0.9, -0.9], (2, 4))
    cases = [
        (dict(direction=np.zeros(8)), "`direction` is the zero vector"),
        (dict(direction=np.full(8, np.inf)), "`direction` must be finite"),
        (dict(direction=np.ones(5)), "`direction` has dimension 5"),
        (dict(neutral_ids=[3, 99]), r"`neutral_ids` holds ids outside.*\[99\]"),
        (dict(equalize_pairs=[[1, 1], [2, 3]]), "`equalize_pairs`.*identical ids"),
        (dict(equalize_pairs=[[1, 2], [2, 3]]), r"`equalize_pairs`.*one pair only"),
        (dict(equalize_pairs=[[1, 2]]), "`equalize_pairs` holds 1 pairs"),
        (dict(equalize_means=np.zeros((2, 5))), "`equalize_means` must have shape"),
        (dict(equalize_means=long_means), "needs unit-length vectors"),
    ]
    for override, message in cases:
        args = dict(
            direction=np.ones(8),
            neutral_ids=[10, 11],
            equalize_pairs=[[6, 7], [8, 9]],
            equalize_means=ok_means,
        )
        args.update(override)
        with pytest.raises(ValueError, match=message):
            layer.set_state(**args)
        for w, b in zip(layer.weights, before, strict=True):
            np.testing.assert_array_equal(w.numpy(), b)


def test_call_and_builder_errors(emb):
    words, vectors, definitional, pairs, specific, _ = emb
    layer = Debias.from_word_lists(words, vectors, definitional, pairs, specific)
    with pytest.raises(ValueError, match="dimension 5 but the layer's bias"):
        layer([np.array([1, 2]), np.ones((2, 5), "float32")])
    with pytest.raises(ValueError, match=r"inputs \[token_ids, vectors\]"):
        Debias(24)(np.ones((2, 8), "float32"))
    with pytest.raises(ValueError, match=r"not in the vocabulary: \['she', 'he'\]"):
        Debias.from_word_lists(words, vectors, [("she", "he")], pairs, specific)
    with pytest.raises(ValueError, match="identical words"):
        Debias.from_word_lists(words, vectors, [("w0", "w0")], pairs, specific)
    with pytest.raises(ValueError, match=r"pair\(s\) not in the vocabulary"):
        Debias.from_word_lists(words, vectors, definitional, [("x", "w9")], specific)
    with pytest.raises(ValueError, match="has 24 words but `vectors` has 23 rows"):
        Debias.from_word_lists(words, vectors[:-1], definitional, pairs, specific)


@pytest.mark.parametrize("jit", [False, True])
def test_ids_outside_the_vocabulary_give_nan_rows_not_another_words_vector(emb, jit):
    words, vectors, definitional, pairs, specific, _ = emb
    layer = Debias.from_word_lists(words, vectors, definitional, pairs, specific)
    ids = keras.Input((), dtype="int32")
    vecs = keras.Input((vectors.shape[1],))
    model = keras.Model([ids, vecs], layer([ids, vecs]))
    model.compile(jit_compile=jit)
    batch_ids = np.array([7, len(words), -1, 12], "int32")
    out = model.predict(
        [batch_ids, vectors[[7, 0, 0, 12]].astype("float32")], verbose=0
    )
    assert np.all(np.isnan(out[1:3]))
    np.testing.assert_allclose(out[[0, 3]], _apply(layer, vectors)[[7, 12]], atol=TOL)


def test_ids_beyond_int32_give_nan_rows_and_strings_a_type_error(emb):
    words, vectors, definitional, pairs, specific, _ = emb
    layer = Debias.from_word_lists(words, vectors, definitional, pairs, specific)
    x = vectors[[7, 7]].astype("float32")
    out = keras.ops.convert_to_numpy(layer([np.array([2**32 + 7, 7], "int64"), x]))
    assert np.all(np.isnan(out[0]))
    np.testing.assert_allclose(out[1], _apply(layer, vectors)[7], atol=TOL)
    with pytest.raises(TypeError, match="`token_ids` must hold integer token ids"):
        layer([np.array(["a", "b"]), x])

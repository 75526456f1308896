"""Word2Vec and GloVe share one shape; gensim's names and bad calls get clear errors."""

import re

import numpy as np
import pytest
import tensorflow as tf

import keras_seqlayers as ksl

CORPUS = ["the cat sat on the mat", "the dog sat on the log"] * 20
WORDS = ["the", "sat", "on", "cat", "mat", "dog", "log"]


def glove_on_corpus():
    return ksl.models.GloVe.from_corpus(CORPUS, min_count=1, embedding_dim=3, verbose=0)


@pytest.mark.parametrize("cls", [ksl.models.Word2Vec, ksl.models.GloVe])
def test_from_corpus_trains_in_one_call_with_vocabulary_and_word_vectors(cls):
    model = cls.from_corpus(
        CORPUS,
        min_count=1,
        embedding_dim=4,
        window=2,
        epochs=2,
        batch_size=16,
        seed=0,
        verbose=0,
    )
    assert isinstance(model.vocabulary, ksl.text.Vocabulary)
    assert model.vocabulary.words[3:] == [
        "the",
        "sat",
        "on",
        "cat",
        "mat",
        "dog",
        "log",
    ]
    vectors = model.vectors
    assert isinstance(vectors, ksl.embeddings.WordVectors)
    # No reserved rows: one vector per word of the vocabulary.
    assert vectors.words == model.vocabulary.words[3:]
    assert vectors["cat"].shape == (4,)
    assert len(model.history.history["loss"]) == 2


@pytest.mark.parametrize("cls", [ksl.models.Word2Vec, ksl.models.GloVe])
def test_from_corpus_without_epochs_builds_only(cls):
    model = cls.from_corpus(CORPUS, min_count=1, embedding_dim=4, verbose=0)
    assert not model.compiled
    assert model.vocabulary.words[3] == "the"


def test_word2vec_training_options_are_kept_and_saved():
    model = ksl.models.Word2Vec.from_corpus(
        CORPUS,
        min_count=1,
        window=2,
        sample=0,
        shrink_windows=False,
        learning_rate=0.1,
        min_learning_rate=0.01,
    )
    config = model.get_config()
    loaded = ksl.models.Word2Vec.from_config(config)
    for name, value in [
        ("window", 2),
        ("sample", 0),
        ("shrink_windows", False),
        ("learning_rate", 0.1),
        ("min_learning_rate", 0.01),
    ]:
        assert config[name] == value
        assert getattr(loaded, name) == value


def test_glove_word_vectors_combinations():
    model = ksl.models.GloVe.from_corpus(
        CORPUS, min_count=1, embedding_dim=3, verbose=0
    )
    W = model.glove.vectors("word")[3:]
    W_tilde = model.glove.vectors("context")[3:]
    expected = {
        "sum": W + W_tilde,
        "mean": (W + W_tilde) / 2,
        "word": W,
        "context": W_tilde,
        "concat": np.concatenate([W, W_tilde], axis=1),
    }
    for combine, table in expected.items():
        got = model.word_vectors(combine)
        assert got.words == model.vocabulary.words[3:]
        np.testing.assert_allclose(got.vectors, table, rtol=1e-6)
    np.testing.assert_allclose(model.vectors.vectors, W + W_tilde, rtol=1e-6)


def test_glove_keeps_its_words_through_config():
    model = ksl.models.GloVe.from_corpus(
        CORPUS, min_count=1, embedding_dim=3, verbose=0
    )
    loaded = ksl.models.GloVe.from_config(model.get_config())
    assert loaded.vocabulary.words == model.vocabulary.words
    assert loaded.vectors.words == model.vectors.words


def test_glove_without_words_names_the_new_spelling():
    model = ksl.models.GloVe(6, 3)
    with pytest.raises(ValueError, match=r"model.glove.vectors\(combine\)"):
        model.vectors  # noqa: B018
    with pytest.raises(ValueError, match="from_corpus"):
        model.vocabulary  # noqa: B018


def test_glove_words_must_match_vocab_size():
    with pytest.raises(ValueError, match="`words` must number the ids 3 to 5"):
        ksl.models.GloVe(6, 3, words=["a", "b"])


def test_glove_fit_without_counts_is_a_clear_error():
    with pytest.raises(ValueError, match="`fit` needs the co-occurrence counts as `x`"):
        ksl.models.GloVe(6, 3).fit()


def test_glove_fit_with_no_x_trains_on_counts_from_corpus():
    model = ksl.models.GloVe.from_corpus(
        CORPUS, min_count=1, embedding_dim=3, verbose=0
    )
    history = model.fit(epochs=1, batch_size=8, verbose=0)
    assert len(history.history["loss"]) == 1


def test_word2vec_given_a_corpus_points_to_from_corpus():
    with pytest.raises(TypeError, match=r"no `counts`.*Word2Vec.from_corpus"):
        ksl.models.Word2Vec(["a b c"])


def test_from_corpus_refuses_a_one_shot_iterator_when_training():
    with pytest.raises(ValueError, match="`corpus` is read twice"):
        ksl.models.Word2Vec.from_corpus(iter(CORPUS), min_count=1, epochs=1)


def test_vocabulary_build_of_none():
    with pytest.raises(TypeError, match="`corpus` must be"):
        ksl.text.Vocabulary.build(None)


GENSIM_ARGUMENTS = [
    ("vector_size", 8, "`embedding_dim`"),
    ("negative", 5, "`num_negatives`"),
    ("ns_exponent", 0.75, "`power`"),
    ("alpha", 0.025, "`learning_rate`"),
    ("min_alpha", 1e-4, "`min_learning_rate`"),
    ("hs", 1, "loss='hierarchical_softmax'"),
    ("sg", 1, "skip-gram"),
    ("sentences", CORPUS, "`corpus`"),
    ("corpus_iterable", CORPUS, "`corpus`"),
    ("corpus_file", "corpus.txt", "TextLineDataset"),
    ("workers", 3, "not offered"),
    ("max_vocab_size", 100, "`max_size`"),
    ("max_final_vocab", 100, "`max_size`"),
    ("batch_words", 1000, "`batch_size`"),
    ("compute_loss", True, "history"),
]


@pytest.mark.parametrize(("name", "value", "ours"), GENSIM_ARGUMENTS)
def test_gensim_arguments_are_refused_naming_ours(name, value, ours):
    with pytest.raises(TypeError, match=f"{name}=.*{re.escape(ours)}"):
        ksl.models.Word2Vec(["a", "b"], [1, 1], **{name: value})
    with pytest.raises(TypeError, match=re.escape(ours)):
        ksl.models.Word2Vec.from_corpus(CORPUS, **{name: value})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("epochs", 5),
        ("window", 3),
        ("sample", 0.0),
        ("seed", 1),
        ("min_count", 1),
        ("shrink_windows", False),
    ],
)
def test_gensim_names_that_are_ours_are_accepted(name, value):
    model = ksl.models.Word2Vec.from_corpus(
        CORPUS, **{"min_count": 1, name: value}, embedding_dim=2, verbose=0
    )
    assert model.vocabulary.words[3] == "the"


@pytest.mark.parametrize(
    ("name", "ours"),
    [
        ("wv", "`vectors`"),
        ("vector_size", "`embedding_dim`"),
        ("negative", "`num_negatives`"),
        ("ns_exponent", "`power`"),
        ("alpha", "`learning_rate`"),
        ("min_alpha", "`min_learning_rate`"),
    ],
)
def test_gensim_attributes_are_refused_naming_ours(name, ours):
    model = ksl.models.Word2Vec(["a", "b"], [1, 1])
    with pytest.raises(AttributeError, match=re.escape(ours)):
        getattr(model, name)


@pytest.mark.parametrize("name", ["vector_size", "sentences", "corpus_file"])
def test_glove_refuses_gensim_names(name):
    with pytest.raises(TypeError, match=name):
        ksl.models.GloVe(6, **{name: 1})
    with pytest.raises(AttributeError, match="`vectors`"):
        ksl.models.GloVe(6, 3).wv  # noqa: B018


@pytest.mark.parametrize("bad", [0, 2, -1, 1.5, 13, 2**40])
def test_word2vec_call_names_an_id_outside_the_vocabulary(bad):
    model = ksl.models.Word2Vec(list("abcdefghij"), [1] * 10, embedding_dim=2)
    dtype = "float32" if isinstance(bad, float) else "int64"
    with pytest.raises(ValueError, match=rf"id {bad}.*\[3, 13\).*10 words"):
        model((np.array([3, 4]), np.array([5, bad], dtype)))


@pytest.mark.parametrize("loss", ["negative_sampling", "hierarchical_softmax"])
@pytest.mark.parametrize(
    ("bad", "dtype"), [(13, "int64"), (-1, "int32"), (1.5, "float32")]
)
def test_word2vec_fit_on_pairs_names_an_id_outside_the_vocabulary_under_xla(
    loss, bad, dtype
):
    model = ksl.models.Word2Vec(
        list("abcdefghij"), [1] * 10, embedding_dim=2, loss=loss
    )
    model.compile("sgd", jit_compile=True)
    pairs = (
        tf.data.Dataset.from_tensor_slices(
            (np.array([3, 4, 5, 6], dtype), np.array([4, 5, bad, 7], dtype))
        )
        .batch(2)
        .map(lambda center, context: ((center, context),))
    )
    with pytest.raises(ValueError, match=rf"id {bad}.*\[3, 13\).*10 words"):
        model.fit(pairs, epochs=1, verbose=0)


def test_glove_progress_bar_counts_its_real_steps(capsys):
    X = ksl.text.cooccurrence([[3, 4, 5, 3, 4] * 50], vocab_size=6, verbose=0)
    batches = -(-X.nnz // 4)
    assert batches < 32  # fewer than one call of `steps_per_execution` steps
    ksl.models.GloVe(6, 4).fit(X, epochs=1, batch_size=4, verbose=1)
    out = capsys.readouterr().out
    assert f"{batches}/{batches}" in out
    assert f"32/{batches}" not in out
    assert " -" not in out.replace(" - loss", "")  # no negative ETA

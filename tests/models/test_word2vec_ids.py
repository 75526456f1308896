"""Ids outside the vocabulary fed to a model's `predict`, `evaluate` and
`fit`: a `ValueError` naming the id and the vocabulary, never a TensorFlow
error or a silent NaN, under XLA too."""

import numpy as np
import pytest
import tensorflow as tf

import keras_seqlayers as ksl
from keras_seqlayers.models import Word2Vec

WORDS = ["a", "b", "c", "d", "e"]  # ids 3 to 7; 0-2 are reserved
# One past the vocabulary, the reserved ids, a negative and a fraction.
BAD_IDS = [8, 0, 2, -1, 1.5]


def _pairs(bad):
    dtype = "float32" if isinstance(bad, float) else "int64"
    return np.array([3, 4, bad], dtype), np.array([4, 5, 6], dtype)


@pytest.fixture(scope="module", params=["negative_sampling", "hierarchical_softmax"])
def word2vec(request):
    model = Word2Vec(WORDS, [5, 4, 3, 2, 1], embedding_dim=4, loss=request.param)
    model.compile("sgd", jit_compile=True)
    model.build()  # its tables exist before the first call, to compare
    return model


def _run(model, method, x, y=None):
    """`method` of `model` on the pairs `x` (with the targets `y`, if any)."""
    dataset = tf.data.Dataset.from_tensors((x,) if y is None else (x, y))
    if method == "call":
        return model(x)
    if method == "predict_arrays":
        return model.predict(x, verbose=0)
    if method == "predict_dataset":
        return model.predict(tf.data.Dataset.from_tensors((x,)), verbose=0)
    if method == "evaluate_arrays":
        return model.evaluate(x, y, verbose=0)
    if method == "evaluate_dataset":
        return model.evaluate(dataset, verbose=0)
    return model.fit(dataset, epochs=1, verbose=0)


METHODS = [
    "predict_arrays",
    "predict_dataset",
    "evaluate_arrays",
    "evaluate_dataset",
    "fit_dataset",
]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("bad", BAD_IDS)
def test_word2vec_refuses_ids_outside_the_vocabulary(word2vec, method, bad):
    before = [w.copy() for w in word2vec.get_weights()]
    with pytest.raises(
        ValueError,
        match=rf"Word2Vec got the id {bad} in its inputs; ids must be whole "
        r"numbers in \[3, 8\), the 5 words of its vocabulary",
    ):
        _run(word2vec, method, _pairs(bad))
    for after, old in zip(word2vec.get_weights(), before, strict=True):
        np.testing.assert_array_equal(after, old)


@pytest.mark.parametrize("loss", ["negative_sampling", "hierarchical_softmax"])
@pytest.mark.parametrize("bad", [8, -1])
def test_uncompiled_word2vec_predict_refuses_them_too(loss, bad):
    # Without XLA an id past the table was TensorFlow's GatherV2 error.
    model = Word2Vec(WORDS, [5, 4, 3, 2, 1], embedding_dim=4, loss=loss)
    for x in (_pairs(bad), tf.data.Dataset.from_tensors((_pairs(bad),))):
        with pytest.raises(ValueError, match=rf"Word2Vec got the id {bad} "):
            model.predict(x, verbose=0)


def test_word2vec_predict_and_evaluate_on_vocabulary_ids(word2vec):
    center, context = np.array([3, 4, 7]), np.array([4, 5, 6])
    expected = word2vec((center, context)).numpy()
    if word2vec.loss_type == "hierarchical_softmax":  # no noise: exact
        np.testing.assert_allclose(
            word2vec.predict((center, context), batch_size=2, verbose=0),
            expected,
            rtol=1e-6,
        )
        dataset = tf.data.Dataset.from_tensors(((center, context),))
        np.testing.assert_allclose(
            word2vec.evaluate(dataset, verbose=0), expected.sum(), rtol=1e-6
        )
    else:
        losses = word2vec.predict((center, context), batch_size=2, verbose=0)
        assert losses.shape == (3,)
        assert np.isfinite(losses).all()
        assert np.isfinite(word2vec.evaluate((center, context), verbose=0))


def test_word2vec_errors_from_the_pipeline_that_are_not_ids_pass_through():
    model = Word2Vec(WORDS, [5, 4, 3, 2, 1], embedding_dim=4)

    def fail(center, context):
        tf.debugging.assert_less(center, tf.constant(0, center.dtype), "no pair")
        return center, context

    dataset = (
        tf.data.Dataset.from_tensors(_pairs(3)).map(fail).map(lambda c, t: ((c, t),))
    )
    with pytest.raises(tf.errors.InvalidArgumentError, match="no pair"):
        model.predict(dataset, verbose=0)


@pytest.fixture(scope="module")
def glove():
    model = ksl.models.GloVe(6, 3)
    model.compile()
    return model


@pytest.mark.parametrize("method", ["call", *METHODS])
@pytest.mark.parametrize("bad", [6, -1, 1.5])
def test_glove_refuses_ids_outside_the_vocabulary(glove, method, bad):
    # These gave NaN scores and a NaN loss.
    dtype = "float32" if isinstance(bad, float) else "int64"
    x = (np.array([3, 4, bad], dtype), np.array([4, 5, 1], dtype))
    counts = np.array([1.0, 2.0, 3.0], "float32")
    match = (
        r"`x` pair ids must be whole numbers in \[0, 6\), the model's "
        rf"vocab_size; received the id {bad}\."
    )
    before = glove.get_weights()
    with pytest.raises(ValueError, match=match):
        _run(glove, method, x, counts)
    for after, old in zip(glove.get_weights(), before, strict=True):
        np.testing.assert_array_equal(after, old)


def test_glove_predict_and_evaluate_on_vocabulary_ids(glove):
    x = (np.array([0, 3, 5]), np.array([4, 5, 1]))
    counts = np.array([1.0, 2.0, 3.0], "float32")
    scores = glove(x).numpy()
    np.testing.assert_allclose(glove.predict(x, verbose=0), scores, rtol=1e-6)
    dataset = tf.data.Dataset.from_tensors((x, counts))
    assert glove.evaluate(dataset, verbose=0) == pytest.approx(
        glove.evaluate(x, counts, verbose=0)
    )


@pytest.mark.parametrize("ids", [np.array(["a", "b"]), np.array([True, False])])
def test_word2vec_call_names_the_dtype_of_ids_that_are_no_numbers(ids):
    # Strings made NumPy's "ufunc 'greater_equal' did not contain a loop",
    # and bools "the id True", where the ids' dtype is what is wrong.
    model = Word2Vec(WORDS, [5, 4, 3, 2, 1], embedding_dim=4)
    with pytest.raises(TypeError, match="must hold integer token ids; received dtype"):
        model((ids, ids))


def test_glove_checks_pairs_given_as_one_array():
    # The GloVe layer also takes the pairs as one `(batch, 2)` array.
    model = ksl.models.GloVe(6, 3)
    model.compile(optimizer="sgd", loss=ksl.losses.GloVeLoss())
    x = np.array([[3, 4], [4, 5], [0, 1]])
    np.testing.assert_allclose(model.predict(x, verbose=0), model(x), rtol=1e-6)
    history = model.fit(x, np.ones(3), epochs=1, verbose=0)  # Keras's step
    assert np.isfinite(history.history["loss"][0])
    bad = np.array([[3, 4], [4, 6]])
    for method in ("call", "predict_arrays", "evaluate_arrays"):
        with pytest.raises(ValueError, match=r"\[0, 6\).*received the id 6\."):
            _run(model, method, bad, np.ones(2))

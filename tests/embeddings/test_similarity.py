import numpy as np
import pytest

from keras_seqlayers.embeddings import (
    WordVectors,
    analogy,
    cosine_similarity,
    most_similar,
)


def _random_vectors(n=200, d=16, seed=0):
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(n)]
    return WordVectors(words, rng.normal(size=(n, d)).astype("float32"))


def _gensim(wv):
    kv = pytest.importorskip("gensim.models").KeyedVectors(vector_size=wv.vector_size)
    kv.add_vectors(wv.words, wv.vectors)
    return kv


def test_cosine_matches_formula():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
    expected = [x @ y / np.sqrt((x @ x) * (y @ y)) for x, y in zip(a, b, strict=True)]
    np.testing.assert_allclose(cosine_similarity(a, b), expected, rtol=1e-12)
    np.testing.assert_allclose(
        cosine_similarity(a[0], b),
        [a[0] @ y / np.sqrt((a[0] @ a[0]) * (y @ y)) for y in b],
    )
    with pytest.raises(ValueError, match="zero vector"):
        cosine_similarity([0.0, 0.0], [1.0, 0.0])
    with pytest.raises(ValueError, match="same last dimension"):
        cosine_similarity([1.0], [1.0, 0.0])


def test_most_similar_agrees_with_gensim():
    wv = _random_vectors()
    kv = _gensim(wv)
    for pos, neg in [(["w0"], []), (["w1", "w2"], ["w3"]), ([], ["w4"])]:
        ours = most_similar(wv, pos, neg, topn=5)
        theirs = kv.most_similar(positive=pos, negative=neg, topn=5)
        assert [w for w, _ in ours] == [w for w, _ in theirs]
        np.testing.assert_allclose(
            [s for _, s in ours], [s for _, s in theirs], rtol=1e-5
        )
    ours = most_similar(wv, "w5", topn=3, restrict_vocab=50)
    theirs = kv.most_similar("w5", topn=3, restrict_vocab=50)
    assert [w for w, _ in ours] == [w for w, _ in theirs]


def test_analogy_is_brute_force_argmax():
    wv = _random_vectors(seed=3)
    normed = wv.vectors / np.linalg.norm(wv.vectors, axis=1, keepdims=True)
    for a, b, c in [("w0", "w1", "w2"), ("w10", "w20", "w30")]:
        target = normed[wv.index(b)] - normed[wv.index(a)] + normed[wv.index(c)]
        cos = [
            -np.inf if w in (a, b, c) else cosine_similarity(normed[i], target)
            for i, w in enumerate(wv.words)
        ]
        assert analogy(wv, a, b, c) == wv.words[int(np.argmax(cos))]
        top = analogy(wv, a, b, c, topn=2)
        assert top[0][0] == wv.words[int(np.argmax(cos))]
        np.testing.assert_allclose(top[0][1], np.max(cos), rtol=1e-5)


def test_unknown_words_and_bad_arguments():
    wv = _random_vectors(n=5)
    with pytest.raises(KeyError, match="'nope' is not in the vocabulary"):
        wv.most_similar("nope")
    with pytest.raises(KeyError, match="'nope' is not in the vocabulary"):
        analogy(wv, "w0", "w1", "nope")
    with pytest.raises(ValueError, match="cannot both be empty"):
        most_similar(wv, [])
    with pytest.raises(ValueError, match="`topn` must be an integer >= 1"):
        most_similar(wv, "w0", topn=0)
    with pytest.raises(TypeError, match=r"received topn=2\.0"):
        most_similar(wv, "w0", topn=2.0)
    assert most_similar(wv, "w0", topn=np.int64(2)) == most_similar(wv, "w0", topn=2)
    with pytest.raises(ValueError, match="must have shape"):
        WordVectors(["a"], np.ones((2, 3)))

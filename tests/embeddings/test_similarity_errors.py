"""Bad input to WordVectors and the similarity queries."""

import re
import sys

import numpy as np
import pytest

from keras_seqlayers.embeddings import WordVectors, analogy, most_similar


def test_bad_input_raises():
    with pytest.raises(
        ValueError,
        match=r"`words` must be distinct.*\['a'\]",
    ):
        WordVectors(["a", "b", "a"], np.eye(3))
    wv = WordVectors(["a", "b", "c"], np.eye(3))
    with pytest.raises(TypeError, match=r"`positive` must be a word.*received 1\b"):
        most_similar(wv, ["a", 1])
    with pytest.raises(TypeError, match=r"`negative` must be a word.*received b'c'"):
        most_similar(wv, "a", negative=[b"c"])
    # "a" minus "a": the query is the zero vector.
    with pytest.raises(
        ValueError,
        match=r"query vector .* is zero.*positive='a', negative='a'",
    ):
        most_similar(wv, "a", negative="a")


@pytest.mark.parametrize(
    ("restrict_vocab", "error"),
    [
        (2.9, TypeError),
        (np.float64(2), TypeError),
        (True, TypeError),
        ("2", TypeError),
        (0, ValueError),
        (-1, ValueError),
    ],
)
def test_bad_restrict_vocab(restrict_vocab, error):
    wv = WordVectors(["a", "b", "c", "d"], np.eye(4) + 0.1)
    match = (
        r"`restrict_vocab` must be an integer >= 1 or None; received "
        rf"restrict_vocab={re.escape(repr(restrict_vocab))}\."
    )
    with pytest.raises(error, match=match):
        most_similar(wv, "a", restrict_vocab=restrict_vocab)
    with pytest.raises(error, match=match):
        analogy(wv, "a", "b", "c", restrict_vocab=restrict_vocab)
    with pytest.raises(error, match=match):
        wv.most_similar("a", restrict_vocab=restrict_vocab)


def test_restrict_vocab_takes_integers_and_searches_all_above_the_size():
    wv = WordVectors(["a", "b", "c", "d"], np.eye(4) + np.arange(4)[:, None] * 0.1)
    everything = most_similar(wv, "a", topn=3)
    assert [w for w, _ in everything] == ["d", "c", "b"]
    assert most_similar(wv, "a", topn=3, restrict_vocab=2) == everything[2:]
    assert most_similar(wv, "a", topn=3, restrict_vocab=np.int64(3)) == everything[1:]
    assert most_similar(wv, "a", topn=3, restrict_vocab=100) == everything


@pytest.mark.parametrize("restrict_vocab", [3, None])
def test_analogy_with_no_word_left_to_search(restrict_vocab):
    words = ["man", "king", "woman", "queen"]
    wv = WordVectors(
        words[: 4 if restrict_vocab else 3],
        np.eye(4)[: 4 if restrict_vocab else 3] + 0.1,
    )
    with pytest.raises(
        ValueError,
        match=rf"No word is left to answer.*restrict_vocab={restrict_vocab}\b",
    ):
        analogy(wv, "man", "king", "woman", restrict_vocab=restrict_vocab)
    # With topn, an empty list, as most_similar gives.
    assert (
        analogy(wv, "man", "king", "woman", topn=2, restrict_vocab=restrict_vocab) == []
    )


def _table():
    return WordVectors(["a", "b", "c"], [[1.0, 0.0], [1.0, 0.1], [0.0, 1.0]])


def test_most_similar_of_a_number_names_positive():
    # It used to fail inside the query code with "'int' object is not iterable".
    with pytest.raises(
        TypeError,
        match=r"`positive` must be a word.*received 123\b",
    ):
        _table().most_similar(123)
    with pytest.raises(TypeError, match=r"`negative` must be .*received 1\.5\."):
        _table().most_similar("a", negative=1.5)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda wv: wv.most_similar([np.ones(3)]), ValueError, r"`positive`.*\(2,\)"),
        (
            lambda wv: wv.most_similar([np.array(["x", "y"])]),
            TypeError,
            r"`positive` must be a vector of numbers",
        ),
        (
            lambda wv: wv.most_similar([("a", "b")]),
            TypeError,
            r"`positive` must be .*received \('a', 'b'\)",
        ),
        (lambda wv: wv.most_similar("a", topn=-1), ValueError, r"`topn` must be"),
        (lambda wv: wv.most_similar("a", topn=0), ValueError, r"`topn` must be"),
        (lambda wv: wv.most_similar_cosmul(negative="a"), ValueError, "`positive`"),
        (
            lambda wv: wv.most_similar_cosmul([("a", 2.0)]),
            TypeError,
            r"`positive` must be .*received \('a', 2\.0\)",
        ),
        (
            lambda wv: wv.most_similar_cosmul([np.zeros(2)]),
            ValueError,
            "`positive` holds a zero vector",
        ),
        (lambda wv: wv.similar_by_word(["a"]), TypeError, "`word` must be a str"),
        (lambda wv: wv.similar_by_vector([1.0]), ValueError, r"`vector`.*\(2,\)"),
        (lambda wv: wv.distances([0.0, 0.0]), ValueError, "`word_or_vector` holds"),
        (lambda wv: wv.distances("a", "bc"), TypeError, "`other_words` must be a"),
        (lambda wv: wv.n_similarity([], ["a"]), ValueError, "`ws1` must hold"),
        (lambda wv: wv.n_similarity(["a"], "b"), TypeError, "`ws2` must be a list"),
        (lambda wv: wv.n_similarity(["a"], [2]), TypeError, "`ws2` must hold words"),
        (lambda wv: wv.doesnt_match([]), ValueError, "`words` must hold at least"),
        (lambda wv: wv.doesnt_match("abc"), TypeError, "`words` must be a list"),
        (lambda wv: wv.doesnt_match(5), TypeError, "`words` must be a list"),
        (lambda wv: wv[0], TypeError, r"indexed by a word .*received 0"),
        (lambda wv: wv.get_vector("a", norm="yes"), TypeError, "`norm` must be"),
        (lambda wv: wv.analogy("a", "b", 3), TypeError, "`c` must be a word"),
    ],
)
def test_bad_arguments_are_named(call, error, match):
    with pytest.raises(error, match=match):
        call(_table())


@pytest.mark.parametrize(
    "call",
    [
        lambda wv: wv.most_similar(["a", "zz"]),
        lambda wv: wv.most_similar_cosmul("a", "zz"),
        lambda wv: wv.similar_by_word("zz"),
        lambda wv: wv.similarity("a", "zz"),
        lambda wv: wv.distance("zz", "a"),
        lambda wv: wv.distances("a", ["b", "zz"]),
        lambda wv: wv.n_similarity(["a"], ["zz"]),
        lambda wv: wv.rank("a", "zz"),
        lambda wv: wv.doesnt_match(["a", "b", "zz"]),
        lambda wv: wv.get_vector("zz", norm=True),
        lambda wv: wv.get_index("zz"),
        lambda wv: wv[["a", "zz"]],
    ],
)
def test_unknown_word_is_a_key_error_naming_it(call):
    with pytest.raises(KeyError, match="'zz' is not in the vocabulary"):
        call(_table())


def test_vectors_must_fit_the_words():
    wv = _table()
    with pytest.raises(ValueError, match=r"`vectors` must have shape .*\(3, dim\)"):
        wv.vectors = np.ones((2, 2))


def test_gensim_conversion_without_gensim(monkeypatch):
    # None in sys.modules makes the import fail as if gensim were missing.
    monkeypatch.setitem(sys.modules, "gensim", None)
    monkeypatch.setitem(sys.modules, "gensim.models", None)
    with pytest.raises(ImportError, match=r"needs gensim.*pip install gensim"):
        _table().to_gensim()
    with pytest.raises(ImportError, match="needs gensim"):
        WordVectors.from_gensim(object())

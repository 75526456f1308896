"""Bad input to WordVectors and the similarity queries."""

import re

import numpy as np
import pytest

from keras_seqlayers.embeddings import WordVectors, analogy, most_similar


def test_bad_input_raises():
    with pytest.raises(
        ValueError,
        match=r"`words` must be distinct; these appear more than once: \['a'\]",
    ):
        WordVectors(["a", "b", "a"], np.eye(3))
    wv = WordVectors(["a", "b", "c"], np.eye(3))
    with pytest.raises(
        TypeError, match=r"`positive` must contain words \(str\); received 1"
    ):
        most_similar(wv, ["a", 1])
    with pytest.raises(
        TypeError, match=r"`negative` must contain words \(str\); received b'c'"
    ):
        most_similar(wv, "a", negative=[b"c"])
    # "a" minus "a": the query is the zero vector.
    with pytest.raises(
        ValueError,
        match=r"query vector .* is zero.*positive=\['a'\], negative=\['a'\]",
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
        match=r"No word is left to answer 'man' : 'king' :: 'woman' : \?: the "
        rf"question words are excluded, .* restrict_vocab={restrict_vocab}\.",
    ):
        analogy(wv, "man", "king", "woman", restrict_vocab=restrict_vocab)
    # With topn, an empty list, as most_similar gives.
    assert (
        analogy(wv, "man", "king", "woman", topn=2, restrict_vocab=restrict_vocab) == []
    )

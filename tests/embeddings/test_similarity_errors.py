"""Bad input to WordVectors and the similarity queries."""

import numpy as np
import pytest

from keras_seqlayers.embeddings import WordVectors, most_similar


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

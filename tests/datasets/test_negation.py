import numpy as np
import pytest

from keras_seqlayers.datasets import negation_sentiment
from keras_seqlayers.datasets.negation import NEGATIVE, POSITIVE


def test_labels_follow_the_grammar():
    texts, labels, kinds = negation_sentiment(300, seed=4)
    assert len(texts) == len(labels) == len(kinds) == 300
    assert set(kinds) == {"plain", "negated", "contrast"}
    # Contrast sentences come in consecutive pairs with the adjectives swapped.
    contrast = [i for i, kind in enumerate(kinds) if kind == "contrast"]
    partners = {}
    for first, second in zip(contrast[::2], contrast[1::2], strict=True):
        assert second == first + 1
        partners[first], partners[second] = second, first
    for i, (text, label, kind) in enumerate(zip(texts, labels, kinds, strict=True)):
        words = text.split()
        adjectives = [w for w in words if w in POSITIVE or w in NEGATIVE]
        first = int(adjectives[0] in POSITIVE)
        if kind == "plain":
            assert "not" not in words
            assert label == first
        elif kind == "negated":
            assert words.count("not") == 1
            assert label == 1 - first
        else:
            assert words[-2] == "not"
            assert (adjectives[0] in POSITIVE) != (adjectives[1] in POSITIVE)
            assert label == first
            partner = partners[i]
            assert sorted(words) == sorted(texts[partner].split())
            assert labels[partner] == 1 - label
    assert 0.4 < np.mean(labels) < 0.6


def test_seeded_and_bad_arguments():
    a, b = negation_sentiment(20, seed=1), negation_sentiment(20, seed=1)
    assert a[0] == b[0]
    np.testing.assert_array_equal(a[1], b[1])
    with pytest.raises(ValueError, match="`kinds` must be a non-empty subset"):
        negation_sentiment(10, kinds=["sarcasm"])
    with pytest.raises(ValueError, match="even when 'contrast'"):
        negation_sentiment(11)
    with pytest.raises(TypeError, match="`num_examples` must be a positive integer"):
        negation_sentiment(2.5)
    np.testing.assert_array_equal(
        negation_sentiment(np.int64(20), seed=1)[1], negation_sentiment(20, seed=1)[1]
    )
    texts, _, _ = negation_sentiment(11, kinds=["plain", "negated"])
    assert len(texts) == 11

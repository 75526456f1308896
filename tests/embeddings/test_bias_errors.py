"""Bad input to the bias metrics and hard debiasing: each error and its message."""

import numpy as np
import pytest

from keras_seqlayers import embeddings as kemb
from keras_seqlayers.embeddings.bias import resolve_equalize_pairs

WORDS = ["she", "he", "nurse"]
VECS = np.array([[0.8, 0.6], [-0.8, 0.6], [0.6, 0.8]])
MAPPING = dict(zip(WORDS, VECS, strict=True))
PAIRS = [("she", "he")]


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        # A vocabulary that is neither a sequence nor a mapping.
        (
            lambda: kemb.bias_direction(VECS, 3, PAIRS),
            TypeError,
            r"`vocabulary` must be a sequence of words.*received 3",
        ),
        (
            lambda: kemb.bias_direction(VECS, "she he nurse", PAIRS),
            TypeError,
            r"`vocabulary` must be a sequence of words.*received 'she he nurse'",
        ),
        # No vocabulary: vectors must be a mapping, and not a bare array.
        (
            lambda: kemb.direct_bias(42, ["nurse"], [1.0, 0.0]),
            TypeError,
            r"`vectors` must be a mapping from word to vector.*received int",
        ),
        (
            lambda: kemb.direct_bias(VECS, ["nurse"], [1.0, 0.0]),
            TypeError,
            r"`vectors` is an array: pass `vocabulary=`",
        ),
        (
            lambda: kemb.direct_bias(MAPPING, ["nurse", "cook"], [1.0, 0.0]),
            ValueError,
            r"`words`: 1 word\(s\) not in the vocabulary: \['cook'\]",
        ),
        (
            lambda: kemb.direct_bias({"a": 1.0, "b": 2.0}, ["a", "b"], [1.0]),
            ValueError,
            r"`words`: the vectors must all be 1-D of one length; received shapes "
            r"\[\(\)\]",
        ),
        (
            lambda: kemb.direct_bias(
                {"a": [1.0, 0.0], "b": [1.0, 0.0, 0.0]}, ["a", "b"], [1.0, 0.0]
            ),
            ValueError,
            r"`words`: the vectors must all be 1-D of one length; received shapes "
            r"\[\(2,\), \(3,\)\]",
        ),
        # A vocabulary naming more rows than the array has.
        (
            lambda: kemb.direct_bias(
                VECS, ["nurse"], [1.0, 0.0], vocabulary={"nurse": 5}
            ),
            ValueError,
            r"`vocabulary` names row 5 but `vectors` has only 3 rows",
        ),
        (
            lambda: kemb.debias_embeddings(VECS, [*WORDS, "x"], PAIRS, [], WORDS),
            ValueError,
            r"`vocabulary` has 4 rows but `vectors` has 3",
        ),
        # Pairs.
        (
            lambda: kemb.bias_direction(VECS, WORDS, []),
            ValueError,
            r"`pairs` must hold at least one pair; received none",
        ),
        (
            lambda: kemb.bias_direction(VECS, WORDS, [("she", "he", "nurse")]),
            ValueError,
            r"`pairs` must hold pairs of two words; received \('she', 'he', 'nurse'\)",
        ),
        (
            lambda: kemb.bias_direction(
                np.array([[np.nan, 0.0], [1.0, 0.0], [0.0, 1.0]]), WORDS, PAIRS
            ),
            ValueError,
            r"the vectors of `pairs` hold NaN or inf values",
        ),
        (
            lambda: kemb.bias_direction(
                np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), WORDS, PAIRS
            ),
            ValueError,
            r"every pair in `pairs` has identical vectors; no axis",
        ),
        (
            lambda: kemb.bias_direction(
                VECS, WORDS, [("she", "he"), ("he", "she")], method="difference"
            ),
            ValueError,
            r"the pair differences of `pairs` cancel out; no axis",
        ),
        # Direction and words.
        (
            lambda: kemb.neutralize([[1.0, 0.0]], [[1.0, 0.0]]),
            ValueError,
            r"`direction` must be a 1-D vector; received shape \(1, 2\)",
        ),
        (
            lambda: kemb.direct_bias(MAPPING, [], [1.0, 0.0]),
            ValueError,
            r"`words` must hold at least one word; received none",
        ),
        (
            lambda: kemb.direct_bias(
                {"a": [0.0, 0.0], "b": [1.0, 1.0]}, ["a", "b"], [1.0, 0.0]
            ),
            ValueError,
            r"`words` with zero vectors have no cosine: \['a'\]",
        ),
        (
            lambda: kemb.weat_effect_size(
                {"x": [1.0, 0.0], "y": [0.0, 1.0], "a": [0.0, 0.0], "b": [1.0, 1.0]},
                ["x"],
                ["y"],
                ["a"],
                ["b"],
            ),
            ValueError,
            r"a WEAT word has a zero vector; its cosine is undefined",
        ),
        # Equalize.
        (
            lambda: kemb.equalize([1.0, 0.0], [0.0, 1.0], [1.0, 0.0], variant="x"),
            ValueError,
            r"`variant` must be one of .*; received variant='x'",
        ),
        (
            lambda: kemb.equalize([1.0, 0.0], [0.0, 1.0, 0.0], [1.0, 0.0]),
            ValueError,
            r"`vector_a` and `vector_b` must be 1-D vectors of one length; "
            r"received shapes \(2,\) and \(3,\)",
        ),
        (
            lambda: kemb.equalize([[1.0, 0.0]], [[0.0, 1.0]], [1.0, 0.0]),
            ValueError,
            r"received shapes \(1, 2\) and \(1, 2\)",
        ),
        (
            lambda: resolve_equalize_pairs(WORDS, PAIRS, on_missing="ignore"),
            ValueError,
            r"`on_missing` must be one of.*'ignore'",
        ),
        (
            lambda: resolve_equalize_pairs(WORDS, [("she",)]),
            ValueError,
            r"`equalize_pairs` must hold pairs of two words; received \('she',\)",
        ),
    ],
)
def test_bad_input_raises(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda: kemb.direct_bias(MAPPING, ["nurse"], [1.0, 0.0], c="0.5"),
            TypeError,
            r"`c` must be a finite number >= 0; received c='0.5'",
        ),
        (
            lambda: kemb.direct_bias(MAPPING, ["nurse"], [1.0, 0.0], c=True),
            TypeError,
            r"received c=True",
        ),
        (
            lambda: kemb.direct_bias(MAPPING, ["nurse"], [1.0, 0.0], c=float("inf")),
            ValueError,
            r"received c=inf",
        ),
        (
            lambda: kemb.bias_direction(
                VECS, WORDS, PAIRS, min_explained_variance="0.3"
            ),
            TypeError,
            r"`min_explained_variance` must be a number in \[0, 1\]",
        ),
        (
            lambda: kemb.weat_effect_size(
                MAPPING, ["she"], ["he"], ["nurse"], ["he"], num_permutations=2.5
            ),
            TypeError,
            r"`num_permutations` must be an integer >= 1; received "
            r"num_permutations=2\.5",
        ),
        (
            lambda: kemb.weat_effect_size(
                MAPPING, ["she"], ["he"], ["nurse"], ["he"], seed=True
            ),
            TypeError,
            r"`seed` must be an integer or None; received seed=True",
        ),
    ],
)
def test_number_arguments_are_checked_not_converted(call, error, match):
    with pytest.raises(error, match=match):
        call()

"""Bad constructor arguments and inputs of the embedding layers."""

import numpy as np
import pytest

from keras_seqlayers.layers import (
    Debias,
    GloVe,
    HierarchicalSoftmax,
    NegativeSampling,
    SkipGram,
)


@pytest.mark.parametrize(
    ("counts", "error", "match"),
    [
        (
            [],
            ValueError,
            r"`counts` must be a non-empty 1-D array.*received shape \(0,\)",
        ),
        (
            [[1, 2], [3, 4]],
            ValueError,
            r"`counts` must be a non-empty 1-D array.*received shape \(2, 2\)",
        ),
        (["a", "b"], TypeError, r"`counts` must be numbers; received dtype <U1"),
    ],
)
def test_bad_counts_raise(counts, error, match):
    with pytest.raises(error, match=match):
        HierarchicalSoftmax(counts, 4)
    with pytest.raises(error, match=match):
        NegativeSampling(2, 4, counts=counts)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (
            {"vocab_size": 3.0},
            TypeError,
            r"`vocab_size` must be an integer >= 1.*vocab_size=3\.0",
        ),
        (
            {"embedding_dim": True},
            TypeError,
            r"`embedding_dim` must be an integer >= 1.*embedding_dim=True",
        ),
        (
            {"return_logits": 1},
            TypeError,
            r"`return_logits` must be True or False.*return_logits=1",
        ),
    ],
)
def test_skipgram_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        SkipGram(**{"vocab_size": 10, "embedding_dim": 4, **kwargs})


@pytest.mark.parametrize("power", ["0.75", None, True])
def test_negative_sampling_power_must_be_a_number(power):
    with pytest.raises(
        TypeError,
        match=rf"`power` must be a finite number >= 0.*power={power!r}",
    ):
        NegativeSampling(10, 4, power=power)


def test_debias_input_shapes():
    with pytest.raises(
        ValueError,
        match=r"`vectors` must have one more axis than `token_ids`.*\(2, 3\).*\(2, 8\)",
    ):
        Debias(24)([np.zeros((2, 3), "int32"), np.zeros((2, 8), "float32")])
    with pytest.raises(
        ValueError,
        match=r"last axis of `vectors` \(dim\) must be known.*\(None, 3, None\)",
    ):
        Debias(24).build([(None, 3), (None, 3, None)])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"neutral_ids": [1, 2, 2, 3, 3]},
            r"`neutral_ids` must hold distinct ids; these are repeated: \[2, 3\]",
        ),
        (
            {"equalize_pairs": [[0, 1]]},
            r"`equalize_means` is required with equalize pairs; received None "
            r"with 1 pair\(s\)",
        ),
        (
            {"equalize_pairs": [[0, 1]], "equalize_means": [[0.0, np.nan]]},
            r"`equalize_means` must be finite; it holds NaN or inf values "
            r"in rows \[0\]",
        ),
    ],
)
def test_debias_bad_state(kwargs, match):
    layer = Debias(10, num_equalize_pairs=len(kwargs.get("equalize_pairs", [])))
    with pytest.raises(ValueError, match=match):
        layer.set_state([1.0, 0.0], **kwargs)
    assert not layer.built or not np.any(layer.neutral.numpy())


_WRAPS_TO_3 = 2**32 + 3  # a plain int32 cast turns it into id 3
_COUNTS = [5, 4, 3, 2, 1, 1, 1, 1]


@pytest.mark.parametrize(
    "make",
    [
        lambda: (SkipGram(8, 3), lambda layer, c, t: layer(c)),
        lambda: (
            NegativeSampling(8, 3, counts=_COUNTS, seed=0),
            lambda layer, c, t: layer([c, t]),
        ),
        lambda: (HierarchicalSoftmax(_COUNTS, 3), lambda layer, c, t: layer([c, t])),
        lambda: (GloVe(8, 3), lambda layer, c, t: layer((c, t))),
    ],
    ids=["SkipGram", "NegativeSampling", "HierarchicalSoftmax", "GloVe"],
)
def test_ids_that_are_not_whole_int32_numbers_give_nan_not_another_word(make):
    layer, call = make()

    def run(center, context):
        return np.asarray(call(layer, center, context))

    expected = run(np.array([3, 3]), np.array([1, 1]))
    for center, context in [
        (np.array([_WRAPS_TO_3, 3], "int64"), np.array([1, 1], "int64")),
        (np.array([-(2**32) + 3, 3], "int64"), np.array([1, 1], "int64")),
        (np.array([2**63 + 3, 3], "uint64"), np.array([1, 1], "uint64")),
        (np.array([np.inf, 3.0], "float16"), np.array([1.0, 1.0], "float16")),
        (np.array([3.5, 3.0]), np.array([1.0, 1.0])),
        (np.array([np.nan, 3.0]), np.array([1.0, 1.0])),
    ]:
        out = run(center, context)
        assert np.all(np.isnan(out[0])), center
        np.testing.assert_allclose(out[1], expected[1], rtol=1e-6)
    with pytest.raises(
        TypeError, match=r"`inputs` must hold integer token ids.*string"
    ):
        run(np.array(["a", "b"]), np.array(["c", "d"]))

"""Bad arguments of keep_probabilities and skipgram_dataset."""

import numpy as np
import pytest
import tensorflow as tf

from keras_seqlayers.text import keep_probabilities, skipgram_dataset


@pytest.mark.parametrize(
    ("sample", "error"),
    [
        (-1e-3, ValueError),
        (float("nan"), ValueError),
        (float("inf"), ValueError),
        ("1e-3", TypeError),
        (None, TypeError),
        (True, TypeError),
    ],
)
def test_keep_probabilities_bad_sample(sample, error):
    with pytest.raises(
        error,
        match=rf"`sample` must be a finite number >= 0; received sample={sample!r}",
    ):
        keep_probabilities([3, 2, 1], sample=sample)


def test_keep_probabilities_takes_numpy_floats():
    np.testing.assert_array_equal(
        keep_probabilities([3, 2, 1], sample=np.float32(0.25)),
        keep_probabilities([3, 2, 1], sample=0.25),
    )


@pytest.mark.parametrize(
    ("counts", "shape"), [([], r"\(0,\)"), ([[1, 2]], r"\(1, 2\)")]
)
def test_keep_probabilities_bad_counts_shape(counts, shape):
    with pytest.raises(
        ValueError,
        match=rf"`counts` must be a non-empty 1-D array; received shape {shape}",
    ):
        keep_probabilities(counts)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"batch_size": 0}, ValueError, r"an integer >= 1; received batch_size=0"),
        ({"batch_size": 8.0}, TypeError, r"an integer >= 1; received batch_size=8.0"),
        ({"batch_size": True}, TypeError, r"integer >= 1; received batch_size=True"),
        ({"window": 2.0}, TypeError, r"an integer >= 1; received window=2.0"),
        ({"sample": -1}, ValueError, r"`sample` must be a finite number >= 0"),
        ({"sample": float("nan")}, ValueError, r"received sample=nan"),
        ({"sample": "0"}, TypeError, r"received sample='0'"),
    ],
)
def test_skipgram_dataset_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        skipgram_dataset([[3, 4, 5]], **{"window": 1, **kwargs})


def test_skipgram_dataset_takes_numpy_integers():
    def pairs(**kwargs):
        ds = skipgram_dataset(
            [[3, 4, 5, 6]], sample=0, shrink_windows=False, shuffle=False, **kwargs
        )
        return [(c.numpy().tolist(), x.numpy().tolist()) for c, x in ds]

    assert pairs(window=np.int64(2), batch_size=np.int32(3)) == pairs(
        window=2, batch_size=3
    )


@pytest.mark.parametrize(
    ("value", "error"),
    [(0, ValueError), (-2, ValueError), (2.0, TypeError), (True, TypeError)],
)
@pytest.mark.parametrize("form", ["list", "ragged", "dataset"])
def test_skipgram_dataset_bad_sequences_per_chunk(value, error, form):
    sequences = {
        "list": [[3, 4, 5]],
        "ragged": tf.ragged.constant([[3, 4, 5]]),
        "dataset": tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[3, 4, 5]])),
    }[form]
    with pytest.raises(
        error,
        match=rf"`sequences_per_chunk` must be an integer >= 1; received "
        rf"sequences_per_chunk={value!r}\.",
    ):
        skipgram_dataset(sequences, window=1, sample=0, sequences_per_chunk=value)


def test_skipgram_dataset_takes_numpy_sequences_per_chunk():
    docs = [[3, 4, 5], [6, 7], [8, 9, 3]]

    def pairs(chunk):
        ds = skipgram_dataset(
            docs,
            window=2,
            sample=0,
            shrink_windows=False,
            shuffle=False,
            sequences_per_chunk=chunk,
        )
        return sorted(
            (int(c), int(x)) for cs, xs in ds for c, x in zip(cs, xs, strict=True)
        )

    assert pairs(np.int64(1)) == pairs(256)

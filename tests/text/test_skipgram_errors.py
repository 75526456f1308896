"""Bad arguments of keep_probabilities and skipgram_dataset."""

import numpy as np
import pytest
import tensorflow as tf

from keras_seqlayers.text import keep_probabilities, skipgram_dataset


@pytest.mark.parametrize("sample", [-1e-3, "1e-3", None])
def test_keep_probabilities_bad_sample(sample):
    with pytest.raises(
        ValueError, match=rf"`sample` must be a number >= 0; received {sample!r}"
    ):
        keep_probabilities([3, 2, 1], sample=sample)


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
    ("kwargs", "match"),
    [
        ({"batch_size": 0}, r"`batch_size` must be an int >= 1; received 0"),
        ({"batch_size": 8.0}, r"`batch_size` must be an int >= 1; received 8.0"),
        ({"batch_size": True}, r"`batch_size` must be an int >= 1; received True"),
        ({"sample": -1}, r"`sample` must be a number >= 0; received -1"),
        ({"sample": "0"}, r"`sample` must be a number >= 0; received '0'"),
    ],
)
def test_skipgram_dataset_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        skipgram_dataset([[3, 4, 5]], **{"window": 1, **kwargs})


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

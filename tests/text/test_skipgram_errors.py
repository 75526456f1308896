"""Bad arguments of keep_probabilities and skipgram_dataset."""

import re

import numpy as np
import pytest
import tensorflow as tf

from keras_seqlayers.text import cooccurrence, keep_probabilities, skipgram_dataset


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
        match=rf"`sample` must be a finite number >= 0.*sample={sample!r}",
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
        match=rf"`counts` must be a non-empty 1-D array.*received shape {shape}",
    ):
        keep_probabilities(counts)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"batch_size": 0}, ValueError, r"`batch_size` must be an integer >= 1.*=0"),
        ({"batch_size": 8.0}, TypeError, r"`batch_size` must be an integer.*=8\.0"),
        ({"batch_size": True}, TypeError, r"`batch_size` must be an integer.*=True"),
        ({"window": 2.0}, TypeError, r"`window` must be an integer >= 1.*window=2\.0"),
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
        match=r"`sequences_per_chunk` must be an integer >= 1.*"
        rf"sequences_per_chunk={value!r}",
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


@pytest.mark.parametrize(
    ("sequences", "counts", "sample", "match"),
    [
        (
            [[3, 4], [5, 400]],
            [1] * 6,
            0,
            r"in \[0, 6\) \(the length of `counts`; or in `drop_ids` or "
            r"`boundary_ids`\); received id 400 at "
            r"sequences\[1\]\[1\]",
        ),
        ([[3, 4], [5, 400]], [1] * 6, 1e-3, r"received id 400 at sequences\[1\]\[1\]"),
        ([[3, -5, 4]], [1] * 6, 0, r"received id -5 at sequences\[0\]\[1\]"),
        ([[3, -5, 4]], [1] * 6, 1e-3, r"received id -5 at sequences\[0\]\[1\]"),
        (
            [[3, 4], [-1]],
            None,
            0,
            r"ids >= 0 \(or in `drop_ids` or `boundary_ids`\); received id -1 at "
            r"sequences\[1\]\[0\]",
        ),
    ],
)
@pytest.mark.parametrize("form", ["list", "ragged"])
def test_skipgram_dataset_ids_outside_the_vocabulary(
    sequences, counts, sample, match, form
):
    if form == "ragged":
        sequences = tf.ragged.constant(sequences)
    with pytest.raises(ValueError, match=match):
        skipgram_dataset(sequences, counts=counts, sample=sample)


@pytest.mark.parametrize(
    ("ids", "counts"), [([3, 400], [1] * 6), ([3, -5], [1] * 6), ([3, -1], None)]
)
def test_skipgram_dataset_checks_the_ids_of_a_dataset_as_it_reads(ids, counts):
    dataset = tf.data.Dataset.from_tensors(tf.constant(ids, tf.int64))
    pairs = skipgram_dataset(dataset, counts=counts, sample=0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="`sequences` must hold"):
        list(pairs)


@pytest.mark.parametrize(
    "sequences",
    [
        [[3.7, 4.2, 5.9]],
        [["3", "4"]],
        tf.ragged.constant([[3.0, 4.0]]),
        tf.data.Dataset.from_tensors(tf.constant([3.0, 4.0])),
    ],
    ids=["floats", "strings", "ragged_floats", "dataset_floats"],
)
def test_skipgram_dataset_ids_must_be_integers(sequences):
    with pytest.raises(TypeError, match="`sequences` must"):
        skipgram_dataset(sequences, sample=0)


@pytest.mark.parametrize("seed", ["x", 1.5, True])
def test_skipgram_dataset_bad_seed(seed):
    with pytest.raises(TypeError, match=r"`seed` must be an integer or None"):
        skipgram_dataset([[3, 4]], sample=0, seed=seed)


@pytest.mark.parametrize("sample", [0, 1.0])
@pytest.mark.parametrize("form", ["list", "ragged", "dataset"])
def test_removed_ids_may_be_outside_the_vocabulary(sample, form):
    # -1 padding, dropped: never windowed, so never an error.
    sequences = [[3, 4, -1, -1], [5, 6, -1, 7]]
    if form == "ragged":
        sequences = tf.ragged.constant(sequences)
    elif form == "dataset":
        sequences = tf.data.Dataset.from_tensor_slices(tf.constant(sequences))
    pairs = skipgram_dataset(
        sequences,
        counts=[0, 0, 0, 1, 1, 1, 1, 1],
        window=1,
        sample=sample,
        shrink_windows=False,
        shuffle=False,
        drop_ids=(-1,),
    )
    got = sorted(
        (int(c), int(x)) for cs, xs in pairs for c, x in zip(cs, xs, strict=True)
    )
    assert got == [(3, 4), (4, 3), (5, 6), (6, 5), (6, 7), (7, 6)]


@pytest.mark.parametrize("argument", ["drop_ids", "boundary_ids"])
@pytest.mark.parametrize("value", [2, None, (2.5,), ("2",)])
def test_drop_and_boundary_ids_must_be_integer_lists(argument, value):
    with pytest.raises(
        TypeError,
        match=rf"`{argument}` must be a list or tuple of integer ids.*"
        rf"{argument}={re.escape(repr(value))}",
    ):
        skipgram_dataset([[3, 4]], sample=0, **{argument: value})


@pytest.mark.parametrize(
    ("function", "argument"),
    [
        (lambda ids: skipgram_dataset([[3, 4]], sample=0, drop_ids=ids), "drop_ids"),
        (lambda ids: cooccurrence([[3, 4]], 5, ignore_ids=ids), "ignore_ids"),
    ],
    ids=["skipgram_dataset", "cooccurrence"],
)
def test_id_lists_follow_one_contract(function, argument):
    # Any iterable of integers but a string: skipgram_dataset used to refuse
    # what cooccurrence took (a NumPy array, a set).
    function(np.array([0, 1]))
    function({0, 1})
    for bad in ([1.5], "01", 1):
        with pytest.raises(TypeError, match=rf"`{argument}` must be a list or tuple"):
            function(bad)

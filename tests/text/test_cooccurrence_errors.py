"""Bad input to CooccurrenceMatrix and cooccurrence: each error and its message."""

import fractions

import numpy as np
import pytest
import tensorflow as tf

from keras_seqlayers.text import CooccurrenceMatrix, cooccurrence


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (
            ([0, 1], [1], [1.0, 1.0]),
            ValueError,
            r"`rows`, `cols` and `values` must be 1-D arrays of one length; "
            r"received shapes \(2,\), \(1,\) and \(2,\)",
        ),
        (
            ([[0, 1]], [[1, 0]], [[1.0, 1.0]]),
            ValueError,
            r"received shapes \(1, 2\), \(1, 2\) and \(1, 2\)",
        ),
        (
            ([0.0, 1.0], [1, 0], [1.0, 1.0]),
            TypeError,
            r"`rows` must hold integer ids; received dtype float64",
        ),
        (
            ([0, 1], ["1", "0"], [1.0, 1.0]),
            TypeError,
            r"`cols` must hold integer ids; received dtype <U1",
        ),
    ],
)
def test_bad_matrix_arguments(args, error, match):
    with pytest.raises(error, match=match):
        CooccurrenceMatrix(*args, vocab_size=3)


@pytest.mark.parametrize("seed", [1.5, "x", True])
def test_dataset_seed_must_be_an_integer(seed):
    matrix = CooccurrenceMatrix([0], [1], [2.0], vocab_size=3)
    with pytest.raises(TypeError, match=r"`seed` must be an integer or None"):
        matrix.dataset(seed=seed)


def test_empty_matrix_has_no_dataset():
    empty = CooccurrenceMatrix([0], [1], [0.0], vocab_size=3)  # zeros are dropped
    with pytest.raises(ValueError, match=r"co-occurrence matrix is empty \(nnz=0"):
        empty.dataset(batch_size=2)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"symmetric": 1}, r"`symmetric` must be True or False.*symmetric=1"),
        (
            {"dense_limit": 1.5},
            r"`dense_limit` must be an integer >= 0.*dense_limit=1\.5",
        ),
        (
            {"dense_limit": True},
            r"`dense_limit` must be an integer >= 0.*dense_limit=True",
        ),
        (
            {"window": 2.0},
            r"`window` must be an integer >= 1.*window=2\.0",
        ),
        (
            {"vocab_size": "6"},
            r"`vocab_size` must be an integer >= 1.*vocab_size='6'",
        ),
    ],
)
def test_bad_argument_types(kwargs, match):
    with pytest.raises(TypeError, match=match):
        cooccurrence([[1, 2, 3]], **{"vocab_size": 6, **kwargs})


@pytest.mark.parametrize(
    ("sequences", "error", "match"),
    [
        (
            tf.ragged.constant([[[1, 2], [3]], [[4]]]),
            ValueError,
            r"A ragged `sequences` must have shape \(documents, None\); "
            r"received ragged rank 2",
        ),
        (
            np.ones((2, 2, 2), "int32"),
            ValueError,
            r"`sequences` must be 1-D \(one document\) or 2-D \(documents\); "
            r"received an array of shape \(2, 2, 2\)",
        ),
        (
            5,
            TypeError,
            r"`sequences` must hold token ids .*; received int",
        ),
        (
            "1 2 3",
            TypeError,
            r"`sequences` must hold token ids .*; received str",
        ),
        (
            [[1, 2], np.ones((2, 2), "int32")],
            ValueError,
            r"Each document in `sequences` must be 1-D; received one of shape \(2, 2\)",
        ),
    ],
)
def test_bad_sequences(sequences, error, match):
    with pytest.raises(error, match=match):
        cooccurrence(sequences, vocab_size=6)


def test_numpy_bool_symmetric_is_a_bool():
    def dense(symmetric):
        return cooccurrence([[3, 4, 5]], 6, symmetric=symmetric, verbose=0).to_dense()

    np.testing.assert_array_equal(dense(np.False_), dense(False))
    assert not np.array_equal(dense(np.False_), dense(True))


def test_id_lists_must_hold_integers():
    with pytest.raises(TypeError, match=r"`ignore_ids` must be a list or tuple of"):
        cooccurrence([[3, 4, 5]], 6, ignore_ids=[1.7], verbose=0)
    with pytest.raises(TypeError, match=r"`boundary_ids` must be a list or tuple of"):
        cooccurrence([[3, 4, 5]], 6, boundary_ids=[True], verbose=0)
    for bad in (None, 0, b"ab"):
        with pytest.raises(
            TypeError,
            match=r"`ignore_ids` must be a list or tuple of integer ids",
        ):
            cooccurrence([[3, 4, 5]], 6, ignore_ids=bad, verbose=0)


@pytest.mark.parametrize("verbose", [True, 1.0, 2, "1"])
def test_verbose_is_0_1_or_auto(verbose):
    with pytest.raises(ValueError, match="`verbose` must be 0, 1 or 'auto'"):
        cooccurrence([[3, 4, 5]], 6, verbose=verbose)


def test_matrix_values_must_be_real_numbers():
    for values in (["1", "2.5"], [True, True], [1 + 2j, 3 + 0j], [1, None]):
        with pytest.raises(TypeError, match="`values` must hold real numbers"):
            CooccurrenceMatrix([0, 1], [1, 0], values, vocab_size=3)
    # Python numbers in an object array are counts.
    X = CooccurrenceMatrix([0, 1], [1, 0], [fractions.Fraction(1, 2), 2], 3)
    np.testing.assert_array_equal(X.to_dense()[[0, 1], [1, 0]], [0.5, 2.0])

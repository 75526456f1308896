"""Checks of the per-word arrays that text pipelines and embedding layers take.

Word counts come in two rules that differ on purpose, each with its own
helper: `check_positive_counts` (every count > 0: a word's noise probability
or Huffman leaf needs weight) and `check_nonnegative_counts` (zeros allowed:
a vocabulary's reserved ids count 0). Lists of special ids (`drop_ids`,
`ignore_ids`, `boundary_ids`) go through `check_id_list`.

NumPy only, so that every module of the package can import it.
"""

import collections.abc

import numpy as np

from keras_seqlayers.checks import is_integer


def check_positive_counts(counts, vocab_size=None, name="counts"):
    """`counts` as a float64 array if it is a 1-D array of finite counts > 0.

    Args:
        counts: the counts, one per word.
        vocab_size: the number of entries required, or `None` for any.
        name: the argument's name in messages.

    Raises:
        TypeError: `counts` are not numbers.
        ValueError: `counts` is not a non-empty 1-D array (of `vocab_size`
            entries), or a count is 0, negative, NaN or infinite (the message
            names the first and its index).
    """
    array = _count_array(counts, vocab_size, name)
    _check_each(array, ~np.isfinite(array) | (array <= 0), "> 0", name)
    return array.astype(np.float64)


def check_nonnegative_counts(counts, vocab_size=None, name="counts"):
    """`counts` as a float64 array if it is a 1-D array of finite counts >= 0.

    Zeros are allowed (a reserved id never occurs), but not all of them.

    Args:
        counts: the counts, one per id.
        vocab_size: the number of entries required, or `None` for any.
        name: the argument's name in messages.

    Raises:
        TypeError: `counts` are not numbers.
        ValueError: `counts` is not a non-empty 1-D array (of `vocab_size`
            entries), a count is negative, NaN or infinite (the message names
            the first and its index), or all counts are zero.
    """
    array = _count_array(counts, vocab_size, name)
    _check_each(array, ~np.isfinite(array) | (array < 0), ">= 0", name)
    if array.sum() <= 0:
        raise ValueError(f"`{name}` must not be all zero; received {array.size} zeros.")
    return array.astype(np.float64)


def _count_array(counts, vocab_size, name):
    array = np.asarray(counts)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(
            f"`{name}` must be a non-empty 1-D array of counts; received shape "
            f"{array.shape}."
        )
    if not np.issubdtype(array.dtype, np.number):
        raise TypeError(f"`{name}` must be numbers; received dtype {array.dtype}.")
    if vocab_size is not None and array.size != vocab_size:
        raise ValueError(
            f"`{name}` must have `vocab_size`={vocab_size} entries; received "
            f"{array.size}."
        )
    return array


def _check_each(array, bad, allowed, name):
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"`{name}` must be finite and {allowed} everywhere; received "
            f"{array[i].item()!r} at index {i} ({int(bad.sum())} bad entries)."
        )


def check_id_list(argument, ids):
    """`ids` as a tuple of ints if it is a list or tuple of integers.

    Any other iterable of integers (a set, a NumPy array) is taken too; a
    string is not.

    Raises:
        TypeError: `ids` is not such an iterable, or holds a non-integer
            (bools are not integers here).
    """
    iterable = isinstance(ids, collections.abc.Iterable)
    values = list(ids) if iterable and not isinstance(ids, (str, bytes)) else None
    if values is None or not all(map(is_integer, values)):
        raise TypeError(
            f"`{argument}` must be a list or tuple of integer ids; received "
            f"{argument}={ids!r}."
        )
    return tuple(int(i) for i in values)

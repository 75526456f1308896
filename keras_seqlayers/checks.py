"""Argument checks shared by the whole package.

Each raises a `TypeError` (wrong type) or `ValueError` (right type, value not
allowed) whose message names the argument, the value received and what is
allowed; none coerces a bad value into a good one.
"""

import collections.abc
import math
import warnings

import keras
import numpy as np


def is_integer(value):
    """Whether `value` is a Python or NumPy integer (bools are not, here)."""
    return isinstance(value, (int, np.integer)) and not isinstance(
        value, (bool, np.bool_)
    )


def is_number(value):
    """Whether `value` is a Python or NumPy int or float (bools are not)."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not (
        isinstance(value, (bool, np.bool_))
    )


def is_real_dtype(dtype):
    """Whether a NumPy dtype holds integers or floats (not bools, complex)."""
    return np.issubdtype(dtype, np.integer) or np.issubdtype(dtype, np.floating)


def check_bool(argument, value, allow_none=False):
    """`value` if it is a bool (numpy bools included, returned as `bool`).

    With `allow_none=True`, `None` is also allowed (and returned).
    """
    if allow_none and value is None:
        return None
    if not isinstance(value, (bool, np.bool_)):
        allowed = "True, False or None" if allow_none else "True or False"
        raise TypeError(
            f"`{argument}` must be {allowed}; received {argument}={value!r}."
        )
    return bool(value)


def check_choice(argument, value, allowed):
    """`value` if it is one of the strings (or `None`) in `allowed`.

    Raises:
        ValueError: `value` is not one of `allowed`.
    """
    allowed = tuple(allowed)
    if not (value is None or isinstance(value, str)) or value not in allowed:
        raise ValueError(
            f"`{argument}` must be one of {allowed}; received {argument}={value!r}."
        )
    return value


def check_positive_int(argument, value, minimum=1, allow_none=False):
    """`value` as an `int` if it is an integer (numpy ones included) >= `minimum`.

    `minimum` is at least 1 (`check_nonnegative_int` allows 0). With
    `allow_none=True`, `None` is also allowed (and returned).

    Raises:
        TypeError: `value` is not an integer (bools are not integers here).
        ValueError: `value` is below `minimum`.
    """
    assert minimum >= 1, "a positive integer is at least 1"
    return _check_int(argument, value, minimum, allow_none)


def check_nonnegative_int(argument, value, allow_none=False):
    """`value` as an `int` if it is an integer (numpy ones included) >= 0.

    With `allow_none=True`, `None` is also allowed (and returned).

    Raises:
        TypeError: `value` is not an integer (bools are not integers here).
        ValueError: `value` is negative.
    """
    return _check_int(argument, value, 0, allow_none)


def _check_int(argument, value, minimum, allow_none):
    if allow_none and value is None:
        return None
    allowed = f"an integer >= {minimum}{' or None' if allow_none else ''}"
    if not is_integer(value):
        raise TypeError(
            f"`{argument}` must be {allowed}; received {argument}={value!r}."
        )
    if value < minimum:
        raise ValueError(
            f"`{argument}` must be {allowed}; received {argument}={value!r}."
        )
    return int(value)


def check_rate(argument, value):
    """`value` as a `float` if it is a number in [0, 1) (a dropout rate).

    Raises:
        TypeError: `value` is not an int or float (bools excluded).
        ValueError: `value` is outside [0, 1).
    """
    if not is_number(value):
        raise TypeError(
            f"`{argument}` must be a float in [0, 1); received {argument}={value!r}."
        )
    if not 0.0 <= value < 1.0:
        raise ValueError(
            f"`{argument}` must be a float in [0, 1); received {argument}={value!r}."
        )
    return float(value)


def check_number(argument, value, minimum=0.0, inclusive=True, allow_none=False):
    """`value` as a `float` if it is a finite number >= `minimum`.

    With `inclusive=False` the number must be > `minimum`; with
    `allow_none=True`, `None` is also allowed (and returned).

    Raises:
        TypeError: `value` is not an int or float (numpy ones included,
            bools excluded).
        ValueError: `value` is NaN, infinite or below (or, not `inclusive`,
            equal to) `minimum`.
    """
    if allow_none and value is None:
        return None
    allowed = f"a finite number {'>=' if inclusive else '>'} {minimum:g}"
    if allow_none:
        allowed += " or None"
    if not is_number(value):
        raise TypeError(
            f"`{argument}` must be {allowed}; received {argument}={value!r}."
        )
    try:
        number = float(value)
    except OverflowError:  # a Python int beyond float's range
        number = math.inf
    if (
        not math.isfinite(number)
        or number < minimum
        or (not inclusive and number == minimum)
    ):
        raise ValueError(
            f"`{argument}` must be {allowed}; received {argument}={value!r}."
        )
    return number


def renamed_argument(argument, value, old_argument, old_value):
    """`value`, or the value given under the argument's deprecated name.

    A renamed argument keeps its old name as a keyword that still works (and
    so do configs saved under it) but warns; passing both is an error.

    Raises:
        TypeError: both names were given.
    """
    if old_value is None:
        return value
    if value is not None:
        raise TypeError(
            f"Pass `{argument}` only: `{old_argument}` is its deprecated name; "
            f"received {argument}={value!r} and {old_argument}={old_value!r}."
        )
    warnings.warn(
        f"`{old_argument}` is deprecated; use `{argument}` (the name every "
        "part of keras_seqlayers uses).",
        DeprecationWarning,
        stacklevel=3,
    )
    return old_value


def check_seed(seed):
    """`seed` as an `int`, or None; raises TypeError for anything else."""
    if seed is None:
        return None
    if not is_integer(seed):
        raise TypeError(f"`seed` must be an integer or None; received seed={seed!r}.")
    return int(seed)


# Word counts come in two rules that differ on purpose: every count > 0 (a
# word's noise probability or Huffman leaf needs weight) and zeros allowed (a
# vocabulary's reserved ids count 0).


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


def check_tensorflow_backend(what, why, instead):
    """Raises a RuntimeError unless Keras runs on TensorFlow.

    For the parts that only TensorFlow can do (`why`); the message names
    `what` needs it, Keras's backend, and what to do `instead`.
    """
    backend = keras.backend.backend()
    if backend != "tensorflow":
        raise RuntimeError(
            f"`{what}` needs the TensorFlow backend ({why}); Keras's backend is "
            f"{backend!r}. {instead}"
        )

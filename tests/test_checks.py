"""The shared argument checks (keras_seqlayers.checks)."""

import numpy as np
import pytest

from keras_seqlayers.checks import check_bool, check_number, check_positive_int


def test_check_number_takes_python_ints_beyond_numpy_range():
    assert check_number("x_max", 10**20) == 1e20
    assert type(check_number("x_max", np.float32(0.5))) is float
    with pytest.raises(ValueError, match=r"`x_max` must be a finite number >= 0"):
        check_number("x_max", 10**400)  # too large for a float


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1.0])
def test_check_number_rejects_non_finite_and_small(value):
    with pytest.raises(ValueError, match=rf"received rate={value!r}"):
        check_number("rate", value)


def test_integer_and_bool_checks_return_python_values():
    assert type(check_positive_int("units", np.int32(3))) is int
    assert check_bool("lowercase", np.False_) is False


def test_allow_none_is_named_in_the_message():
    assert check_positive_int("limit", None, allow_none=True) is None
    assert check_number("clipnorm", None, allow_none=True) is None
    with pytest.raises(TypeError, match=r"an integer >= 0 or None; received limit="):
        check_positive_int("limit", "3", minimum=0, allow_none=True)
    with pytest.raises(ValueError, match=r"a finite number > 0 or None; received"):
        check_number("clipnorm", 0, inclusive=False, allow_none=True)
    with pytest.raises(TypeError, match=r"must be an integer >= 1; received n=None"):
        check_positive_int("n", None)

"""The shared argument checks (keras_seqlayers.checks)."""

import numpy as np
import pytest

from keras_seqlayers.checks import (
    check_bool,
    check_choice,
    check_nonnegative_int,
    check_number,
    check_positive_int,
)


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
    assert check_bool("binary", None, allow_none=True) is None
    with pytest.raises(TypeError, match=r"`binary` must be True, False or None"):
        check_bool("binary", 1, allow_none=True)
    with pytest.raises(TypeError, match=r"`limit` must be an integer >= 0 or None"):
        check_nonnegative_int("limit", "3", allow_none=True)
    with pytest.raises(ValueError, match=r"`clipnorm` must be a finite number > 0 or"):
        check_number("clipnorm", 0, inclusive=False, allow_none=True)
    with pytest.raises(TypeError, match=r"`n` must be an integer >= 1;"):
        check_positive_int("n", None)


FLAGS = [
    "add_eos",
    "case_variants",
    "drop_remainder",
    "invert",
    "model_inputs",
    "overwrite",
    "repeat",
    "shrink_windows",
    "shuffle",
]


def _flag_calls(tmp_path):
    import keras

    import keras_seqlayers as ksl
    from keras_seqlayers import serving
    from keras_seqlayers.embeddings.bias import resolve_equalize_pairs

    vocabulary = ksl.text.Vocabulary(["a", "b"])
    matrix = ksl.text.CooccurrenceMatrix([3], [4], [1.0], vocab_size=5)
    x = keras.Input((2,))
    model = keras.Model(x, keras.layers.Dense(1)(x))
    return {
        "add_eos": lambda v: vocabulary.encode([["a"]], add_eos=v),
        "invert": lambda v: vocabulary.lookup_layer(invert=v),
        "shuffle": lambda v: matrix.dataset(shuffle=v),
        "drop_remainder": lambda v: matrix.dataset(drop_remainder=v),
        "repeat": lambda v: ksl.text.skipgram_dataset([[3, 4]], sample=0, repeat=v),
        "model_inputs": lambda v: ksl.text.skipgram_dataset(
            [[3, 4]], sample=0, model_inputs=v
        ),
        "shrink_windows": lambda v: ksl.text.skipgram_dataset(
            [[3, 4]], sample=0, shrink_windows=v
        ),
        "case_variants": lambda v: resolve_equalize_pairs(
            ["she", "he"], [("she", "he")], case_variants=v
        ),
        "overwrite": lambda v: serving.export(model, str(tmp_path), overwrite=v),
    }


@pytest.mark.parametrize("flag", FLAGS)
def test_flags_must_be_bools(flag, tmp_path):
    calls = _flag_calls(tmp_path)
    assert sorted(calls) == FLAGS
    call = calls[flag]
    with pytest.raises(TypeError, match=rf"`{flag}` must be True or False"):
        call(1)
    call(np.False_)  # NumPy bools are bools


def test_check_choice_takes_only_a_listed_value():
    assert check_choice("mode", None, ("a", None)) is None
    assert check_choice("mode", "a", ("a", None)) == "a"
    for bad in ("b", 0, ["a"]):
        with pytest.raises(ValueError, match=r"`mode` must be one of .*received mode="):
            check_choice("mode", bad, ("a", None))


def test_nonnegative_int_allows_zero_and_positive_int_does_not():
    assert check_nonnegative_int("count", 0) == 0
    with pytest.raises(ValueError, match=r"`count` must be an integer >= 0"):
        check_nonnegative_int("count", -1)
    with pytest.raises(ValueError, match=r"`units` must be an integer >= 1"):
        check_positive_int("units", 0)

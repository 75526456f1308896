"""The harness itself: it passes a correct layer and catches broken ones."""

import keras
import numpy as np
import pytest

from keras_seqlayers.registration import register
from tests.harness import (
    check_config_round_trip,
    check_mixed_precision,
    run_layer_test,
)


@register
class ToyScale(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.supports_masking = True

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units))

    def call(self, inputs, mask=None, factor=1.0):
        outputs = keras.ops.matmul(inputs, self.kernel) * factor
        if mask is not None:
            outputs = outputs * keras.ops.cast(mask, outputs.dtype)[..., None]
        return outputs

    def get_config(self):
        return {**super().get_config(), "units": self.units}


@register
class ToyComputesInBfloat16(ToyScale):
    """`ToyScale` computing in bfloat16 under any half-precision policy."""

    def call(self, inputs, mask=None, factor=1.0):
        dtype = "float32" if self.compute_dtype == "float32" else "bfloat16"
        outputs = keras.ops.matmul(
            keras.ops.cast(inputs, dtype), keras.ops.cast(self.kernel, dtype)
        )
        return keras.ops.cast(outputs, self.compute_dtype) * factor


@register
class ToyForgetsConfig(ToyScale):
    def get_config(self):
        config = super().get_config()
        del config["units"]
        return {**config, "units": 1}


def test_harness_passes_a_correct_layer(tmp_path):
    x = np.random.default_rng(0).normal(size=(4, 3, 2)).astype("float32")
    mask = np.array([[True, True, False]] * 4)
    layer = run_layer_test(
        ToyScale,
        {"units": 5},
        x,
        expected_output_shape=(4, 3, 5),
        # A call argument that changes the outputs: every call the harness
        # compares must pass it, the masked-noise call included.
        call_kwargs={"factor": 2.0},
        mask=mask,
        tmp_path=tmp_path,
    )
    assert layer.built


def test_harness_catches_a_config_that_does_not_round_trip():
    with pytest.raises(AssertionError):
        check_config_round_trip(ToyForgetsConfig, {"units": 5})


def test_mixed_precision_catches_a_layer_computing_in_bfloat16():
    # 64.25 is exact in float16 and halfway between two bfloat16 numbers
    # (64 and 64.5): computing in bfloat16 is off by 0.25 (0.4 %).
    x = np.full((2, 3, 1), 64.25, "float32")
    weights = [np.ones((1, 1), "float32")]
    options = {"fixed_batch_size": False, "call_kwargs": {}, "configure": None}
    check_mixed_precision(ToyScale, {"units": 1}, [x], weights, **options)
    with pytest.raises(AssertionError, match="mixed_float16 outputs differ"):
        check_mixed_precision(
            ToyComputesInBfloat16, {"units": 1}, [x], weights, **options
        )

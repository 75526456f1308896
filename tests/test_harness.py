"""The harness itself: it passes a correct layer and catches broken ones."""

import keras
import numpy as np
import pytest

from keras_seqlayers.registration import register
from tests.harness import check_config_round_trip, run_layer_test


@register
class ToyScale(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.supports_masking = True

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units))

    def call(self, inputs, mask=None):
        outputs = keras.ops.matmul(inputs, self.kernel)
        if mask is not None:
            outputs = outputs * keras.ops.cast(mask, outputs.dtype)[..., None]
        return outputs

    def get_config(self):
        return {**super().get_config(), "units": self.units}


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
        mask=mask,
        tmp_path=tmp_path,
    )
    assert layer.built


def test_harness_catches_a_config_that_does_not_round_trip():
    with pytest.raises(AssertionError):
        check_config_round_trip(ToyForgetsConfig, {"units": 5})

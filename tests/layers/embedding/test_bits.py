"""The counter-based uniform bits behind negative sampling's noise draws."""

import numpy as np
import pytest
import tensorflow as tf
from keras import ops

from keras_seqlayers.layers.embedding._bits import uniform_bits


def _bits(state, streams=1, shape=(200_000,)):
    bits = uniform_bits(shape, np.array(state), streams)
    return [ops.convert_to_numpy(b) for b in bits]


def test_each_byte_is_uniform():
    (bits,) = _bits([12345, 0])
    for shift in (0, 8, 16, 24):
        counts = np.bincount((bits >> shift) & 0xFF, minlength=256)
        expected = bits.size / 256
        chi2 = np.sum((counts - expected) ** 2 / expected)
        # 255 degrees of freedom: the 99.9% quantile is about 330.
        assert chi2 < 330, (shift, chi2)


@pytest.mark.parametrize(
    "streams",
    [
        lambda: _bits([7, 0], streams=2),  # two streams of one state
        lambda: _bits([7, 0]) + _bits([7, 1]),  # consecutive states
        lambda: _bits([7, 0]) + _bits([8, 0]),  # nearby seeds
    ],
)
def test_streams_are_unrelated(streams):
    a, b = streams()
    agreeing = np.unpackbits((~(a ^ b)).view(np.uint8)).mean()
    assert abs(agreeing - 0.5) < 0.005
    assert abs(np.corrcoef(a.astype(np.float64), b.astype(np.float64))[0, 1]) < 0.01


def test_consecutive_values_are_unrelated():
    (bits,) = _bits([3, 0])
    x = bits.astype(np.float64)
    assert abs(np.corrcoef(x[:-1], x[1:])[0, 1]) < 0.01


def test_same_values_traced_under_xla_and_for_a_traced_shape():
    state = np.array([5, 6], np.int32)
    eager = _bits(state, streams=2, shape=(64, 3))

    @tf.function(jit_compile=True, input_signature=[tf.TensorSpec([None], tf.int32)])
    def traced(ids):
        return uniform_bits((tf.shape(ids)[0], 3), state, 2)

    for got, want in zip(traced(tf.zeros([64], tf.int32)), eager, strict=True):
        np.testing.assert_array_equal(got.numpy(), want)

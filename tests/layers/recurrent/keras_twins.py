"""Runs one of our layers and its Keras built-in twin on the same weights."""

import keras
import numpy as np


def negate_update_block(weights, units):
    """A Keras GRU's weights as ours: the update gate weighs the other state.

    Our update gate weighs the new state, Keras's `z` the old one: since
    `σ(-a) = 1 - σ(a)`, negating the update block maps one onto the other.
    """
    mapped = [np.array(w) for w in weights]
    for w in mapped:
        w[..., :units] *= -1
    return mapped


def same_weights(weights, units):
    """Keras's SimpleRNN and LSTM weights, which ours take unchanged."""
    return [np.array(w) for w in weights]


def compare_with_keras(ours, theirs, to_ours, x, mask=None, atol=1e-5):
    """Sets random weights on `theirs`, maps them with `to_ours`, compares.

    Both layers must have been built (called) on `x`'s shape. Outputs and
    final states must agree at every position.
    """
    rng = np.random.default_rng(5)
    weights = [
        rng.normal(scale=0.4, size=w.shape).astype("float32")
        for w in theirs.get_weights()
    ]
    theirs.set_weights(weights)
    ours.set_weights(to_ours(weights, ours.cell.units))
    got = keras.tree.flatten(ours(x, mask=mask))
    want = keras.tree.flatten(theirs(x, mask=mask))
    assert len(got) == len(want)
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(a, b, atol=atol)

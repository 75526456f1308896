import keras
import numpy as np
import tensorflow as tf

from keras_seqlayers.layers.embedding._slices import update_in_slices


def _run(counts, ids, rows, slice_size):
    """Counts each id's pairs in `counts`, slice by slice.

    Each pair's value is the count of its id before its slice's update, so
    the values show which slices were applied before which.
    """

    def update(i, r):
        before = keras.ops.take(counts, i, axis=0)
        weight = keras.ops.cast(keras.ops.sum(r, axis=1) > 0, "float32")
        counts.assign_add(keras.ops.scatter(i[:, None], weight, (10,)))
        return before

    return update_in_slices((ids, rows), slice_size, update, "float32")


def test_slices_apply_in_order_and_padding_changes_nothing():
    ids = np.array([3, 3, 3, 5, 3, 5, 3], "int32")
    rows = np.ones((7, 2), "float32")
    counts = keras.Variable(np.zeros(10, "float32"))
    values = _run(counts, ids, rows, slice_size=3)
    # Slices [0:3], [3:6], [6:7]+padding; each sees the counts before it.
    np.testing.assert_array_equal(values, [0, 0, 0, 0, 3, 0, 4])
    # Padding pairs (id 0, zero rows) counted nothing.
    expected = np.zeros(10)
    expected[3], expected[5] = 5, 2
    np.testing.assert_array_equal(counts.numpy(), expected)


def test_unknown_batch_and_trailing_axes_under_tf_function():
    ids = np.array([3, 3, 3, 5, 3, 5, 3], "int32")
    rows = np.ones((7, 2), "float32")
    counts = keras.Variable(np.zeros(10, "float32"))

    @tf.function(
        input_signature=[
            tf.TensorSpec([None], tf.int32),
            tf.TensorSpec([None, None], tf.float32),
        ]
    )
    def run(i, r):
        return _run(counts, i, r, slice_size=3)

    np.testing.assert_array_equal(run(ids, rows), [0, 0, 0, 0, 3, 0, 4])

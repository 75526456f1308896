"""In-place updates of embedding tables: row scatter-adds, one slice of pairs
at a time.

These are TensorFlow-backend only: they assign to the tables inside a
`keras.ops.fori_loop`, which TensorFlow runs as a loop over `tf.Variable`
updates, while JAX traces the loop body as a pure function that cannot
write a variable.
"""

from keras import ops

from keras_seqlayers.checks import check_tensorflow_backend


def require_tensorflow(method):
    """Raises a RuntimeError naming `method` unless Keras runs on TensorFlow.

    Checked before any table, accumulator or random state changes.
    """
    check_tensorflow_backend(
        method,
        "in-place scatter-adds on tf.Variables",
        "Under another backend, train the layer with `Model.fit` and a Keras "
        "optimizer.",
    )


def update_in_slices(arrays, slice_size, update, dtype):
    """Runs `update` on consecutive slices of a batch, one after another.

    A slice's rows are still in cache when it writes them back, and each
    slice sees the updates of the ones before. The batch is padded with
    zeros to whole slices, so a padding pair must change nothing (give it
    weight 0).

    Args:
        arrays: tensors whose first axis is the batch.
        slice_size: pairs per slice (int >= 1).
        update: called with one slice of each array, in order; applies that
            slice's updates and returns one value per pair, shape
            `(slice_size,)`.
        dtype: dtype of the values `update` returns.

    Returns:
        The values of all pairs, shape `(batch,)`.
    """
    batch = ops.shape(arrays[0])[0]
    slices = (batch + slice_size - 1) // slice_size
    pad = slices * slice_size - batch
    arrays = [ops.pad(a, [[0, pad]] + [[0, 0]] * (len(a.shape) - 1)) for a in arrays]

    def body(k, values):
        start = k * slice_size
        parts = [
            ops.slice(
                a, [start] + [0] * (len(a.shape) - 1), [slice_size, *ops.shape(a)[1:]]
            )
            for a in arrays
        ]
        return ops.slice_update(values, [start], update(*parts))

    values = ops.fori_loop(0, slices, body, ops.zeros((slices * slice_size,), dtype))
    return values[:batch]


def scatter_add(variable, rows, updates):
    """Adds `updates[k]` to row `rows[k]` of `variable`, in place.

    Repeated rows add up. Under XLA the added scattered tensor becomes an
    in-place scatter-add into the variable (keras.ops has no scatter-add on
    a variable), so the cost follows the rows, not the table; without XLA
    it builds a tensor of the variable's size.

    Args:
        variable: the table (or accumulator) to update.
        rows: 1-D integer tensor of row ids.
        updates: one row of values per id, `(len(rows), *variable.shape[1:])`.
    """
    rows = ops.reshape(rows, (-1, 1))
    variable.assign_add(ops.scatter(rows, updates, ops.shape(variable)))

"""In-place updates of embedding tables: row scatter-adds, one slice of pairs
at a time.

These are TensorFlow-backend only: they assign to the tables inside a
`keras.ops.fori_loop`, which TensorFlow runs as a loop over `tf.Variable`
updates, while JAX traces the loop body as a pure function that cannot
write a variable.
"""

from keras import ops

from keras_seqlayers.checks import check_positive_int, check_tensorflow_backend


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


def target_scores(e, rows):
    """`o_j·e` for each pair's target rows: `(batch, dim)`, `(batch, J, dim)`
    -> `(batch, J)`."""
    # One contraction: a product and a sum made XLA CPU write the
    # (batch, J, dim) product out and read it back (a third slower step).
    return ops.einsum("bd,bjd->bj", e, rows)


def start_in_place_update(layer, method, slice_size):
    """The checks and build of an in-place update `method`, before any change.

    Returns:
        `slice_size`, checked.
    """
    require_tensorflow(method)
    slice_size = check_positive_int("slice_size", slice_size)
    if not layer.built:
        layer.build(None)
    return slice_size


def sgd_on_targets(
    table,
    output,
    center,
    targets,
    valid,
    sample_weight,
    learning_rate,
    slice_size,
    gradient,
    extras,
):
    """word2vec's SGD in place: each center against its rows of `output`.

    For a pair with center `c` and targets `t_j` (a context and its noise
    words, or the nodes of a context's path) with scores `x_j = o_{t_j}·e_c`
    and loss gradients `g_j = dL/dx_j`, times the pair's weight:
    `e_c -= lr Σ_j g_j o_{t_j}` and `o_{t_j} -= lr g_j e_c`, in slices of
    `slice_size` pairs (see `update_in_slices`). An invalid pair changes
    nothing (weight 0, its center read as row 0) and gets a NaN loss.

    Args:
        table: the input vectors `e`, `(vocab_size, dim)`.
        output: the output rows `o`, `(rows, dim)`.
        center: `(batch,)` ids of `table` (any value for an invalid pair).
        targets: `(batch, J)` row ids of `output`, in range for every pair.
        valid: `(batch,)` booleans, False for a pair to leave out.
        sample_weight: `(batch,)` pair weights, or None for 1.
        learning_rate: the SGD step size (scalar).
        slice_size: pairs per in-place update.
        gradient: called with a slice's scores `(slice, J)` and its slices
            of `extras`; returns `(g, losses)`: the unweighted `dL/dx_j`
            and the per-pair losses `(slice,)`.
        extras: more `(batch, ...)` tensors that `gradient` needs.

    Returns:
        The per-pair losses, each taken before its slice's update.
    """
    dtype = table.dtype
    weight = ops.cast(valid, dtype)
    if sample_weight is not None:
        weight = weight * ops.reshape(ops.cast(sample_weight, dtype), (-1,))
    step = ops.cast(learning_rate, dtype)
    dim = ops.shape(table)[-1]

    def update(c, t, w, *rest):
        e = ops.take(table, c, axis=0)
        rows = ops.take(output, t, axis=0)
        scores = target_scores(e, rows)
        g, losses = gradient(scores, *rest)
        g = g * w[:, None]
        output_step = ops.reshape(-step * g[..., None] * e[:, None, :], (-1, dim))
        scatter_add(output, t, output_step)
        scatter_add(table, c, -step * ops.sum(g[..., None] * rows, axis=1))
        return losses

    # Invalid pairs, like update_in_slices's padding, read row 0 with
    # weight 0: they change nothing.
    losses = update_in_slices(
        (ops.where(valid, center, 0), targets, weight, *extras),
        slice_size,
        update,
        dtype,
    )
    return ops.where(valid, losses, ops.cast(float("nan"), dtype))

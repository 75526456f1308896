"""Word-id inputs shared by the embedding layers and the models built on them."""

import keras
from keras import ops

_INT32_MAX = 2**31 - 1


def int32_ids(ids, name="inputs"):
    """Token ids as int32; an id that is no whole number in int32's range is -1.

    A plain cast would wrap a large int64 id onto a valid row and truncate
    `2.7` to word 2; here such ids become -1, outside every vocabulary
    (`in_vocabulary` is False, and the layers give them NaN). Float ids, as
    from a `keras.Input` of the default dtype, count when they are whole.

    Raises:
        TypeError: `ids` are neither integers nor floats.
    """
    ids = ops.convert_to_tensor(ids)
    dtype = keras.backend.standardize_dtype(ids.dtype)
    if "float" not in dtype and "int" not in dtype:
        raise TypeError(
            f"`{name}` must hold integer token ids; received dtype {dtype}."
        )
    # Compared in their own dtype, before the cast can wrap them (ids below
    # 0 are outside every vocabulary anyway, and -1 keeps them so).
    if "float" in dtype:
        # `< 2**31`: int32's largest id rounds up to 2**31 in float32.
        keep = ops.logical_and(ids >= 0, ids < 2.0**31)
        keep = ops.logical_and(keep, ops.floor(ids) == ids)
    elif dtype in ("int64", "uint32", "uint64"):
        keep = ops.logical_and(ids >= 0, ids <= _INT32_MAX)
    else:
        return ops.cast(ids, "int32")
    return ops.where(keep, ops.cast(ids, "int32"), -1)


def as_ids(x, name="inputs"):
    """int32 ids of shape `(batch,)`; a trailing axis of size 1 is dropped."""
    x = int32_ids(x, name)
    if len(x.shape) == 2 and x.shape[-1] == 1:
        x = ops.squeeze(x, -1)
    return x


def in_vocabulary(ids, vocab_size):
    """Boolean mask of the ids in `[0, vocab_size)`.

    The layers give the other ids NaN results: `ops.take` would wrap a
    negative id and XLA would clamp a large one to another word's row.
    """
    return ops.logical_and(ids >= 0, ids < vocab_size)


def pairs_in_vocabulary(first, second, vocab_size):
    """Boolean mask of the pairs whose two ids are both in `[0, vocab_size)`."""
    return ops.logical_and(
        in_vocabulary(first, vocab_size), in_vocabulary(second, vocab_size)
    )

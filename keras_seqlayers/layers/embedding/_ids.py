"""Word-id inputs shared by the embedding layers."""

from keras import ops


def as_ids(x):
    """int32 ids of shape `(batch,)`; a trailing axis of size 1 is dropped."""
    x = ops.cast(x, "int32")
    if len(x.shape) == 2 and x.shape[-1] == 1:
        x = ops.squeeze(x, -1)
    return x


def in_vocabulary(ids, vocab_size):
    """Boolean mask of the ids in `[0, vocab_size)`.

    The layers give the other ids NaN results: `ops.take` would wrap a
    negative id and XLA would clamp a large one to another word's row.
    """
    return ops.logical_and(ids >= 0, ids < vocab_size)

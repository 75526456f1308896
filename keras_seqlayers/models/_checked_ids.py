"""Ids checked before a word-vector model's traced steps see them."""

import re

import numpy as np

from keras_seqlayers.text.skipgram import check_pair_ids, is_dataset

# What the input pipeline's assertion puts before the bad id (in brackets).
_PIPELINE_MARKER = "id outside the vocabulary: "


def first_bad_id(ids, low, high):
    """The first id of `ids` that is no whole number in `[low, high)`, or None.

    Arrays that hold no numbers are let through: `int32_ids` refuses them
    by their dtype.
    """
    ids = np.asarray(ids)
    if not np.issubdtype(ids.dtype, np.number):
        return None
    bad = ~((ids >= low) & (ids < high))
    if np.issubdtype(ids.dtype, np.floating):
        bad |= ids != np.floor(ids)
    if not bad.any():
        return None
    return ids.ravel()[np.flatnonzero(bad)[0]].item()


def refuse_bad_ids(x, low, high, refuse):
    """Calls `refuse` with the first id of `x` outside `[low, high)`.

    `x` is a pair of id arrays or one array; eager tensors count as arrays,
    symbolic ones (a traced step) and anything else are left alone.
    """
    for ids in x if isinstance(x, (tuple, list)) else [x]:
        # Only arrays: `np.asarray` would read a whole `PyDataset`.
        if isinstance(ids, (np.ndarray, list, tuple)) or hasattr(ids, "numpy"):
            value = first_bad_id(ids, low, high)
            if value is not None:
                refuse(value)


def run_with_checked_ids(run, x, low, high, refuse, *args, **kwargs):
    """`run(x, *args, **kwargs)`, an id of `x` outside `[low, high)` refused.

    `run` is a `keras.Model` method (`fit`, `evaluate`, `predict`) whose
    steps are traced, so a check in `call` never sees their values; and XLA
    drops assertions from a compiled step. So `x`'s ids are checked before:
    arrays (a pair `(center, context)` of them, or one) here, a `tf.data`
    dataset of `((center, context), ...)` elements in its pipeline
    (`check_pair_ids`). Anything else goes to `run` as it is.

    Args:
        run: the method to run.
        x: its first argument.
        low, high: the ids allowed, `[low, high)`.
        refuse: raises the error for a bad id, given the id.
        *args: `run`'s other arguments.
        **kwargs: `run`'s other keyword arguments.

    Raises:
        ValueError: `refuse`'s, for the first id that is no whole number in
            `[low, high)`.
    """
    if not is_dataset(x):
        refuse_bad_ids(x, low, high, refuse)
        return run(x, *args, **kwargs)
    try:
        return run(check_pair_ids(x, low, high, _PIPELINE_MARKER), *args, **kwargs)
    except Exception as exception:
        # The pipeline's assertion (a TensorFlow InvalidArgumentError)
        # carries the id as "[id]".
        found = re.search(re.escape(_PIPELINE_MARKER) + r"\[([^\]]*)\]", str(exception))
        if found is None:
            raise
    # Outside the `except` block, so that the error does not chain
    # TensorFlow's.
    refuse(found.group(1))


class CheckedIds:
    """`predict` and `evaluate` that refuse ids outside the vocabulary.

    For a `keras.Model` whose `_id_range()` gives `run_with_checked_ids`'s
    `low, high, refuse`.
    """

    def predict(self, x, *args, **kwargs):
        """`keras.Model.predict`, with `x`'s ids checked first.

        Args:
            x: a pair of id arrays, or a `tf.data` dataset of `((i, j),)`
                batches, as the model's `call` takes.
            *args: other `keras.Model.predict` arguments, in its order.
            **kwargs: other `keras.Model.predict` arguments.

        Returns:
            The model's outputs (per-pair values), as a NumPy array.

        Raises:
            ValueError: an id is no word of the vocabulary (out of range,
                reserved, negative or fractional); in a dataset, when the
                pipeline reaches it.
        """
        return run_with_checked_ids(
            super().predict, x, *self._id_range(), *args, **kwargs
        )

    def evaluate(self, x=None, *args, **kwargs):
        """`keras.Model.evaluate`, with `x`'s ids checked first.

        Args:
            x: a pair of id arrays, or a `tf.data` dataset of `((i, j), ...)`
                batches, as the model's `call` takes.
            *args: other `keras.Model.evaluate` arguments, in its order.
            **kwargs: other `keras.Model.evaluate` arguments.

        Returns:
            As `keras.Model.evaluate`.

        Raises:
            ValueError: as `predict`.
        """
        return run_with_checked_ids(
            super().evaluate, x, *self._id_range(), *args, **kwargs
        )

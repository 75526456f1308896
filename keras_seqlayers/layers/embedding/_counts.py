"""Validation and tables shared by the count-based embedding layers."""

import numpy as np


def check_counts(counts, vocab_size=None, name="counts"):
    """Returns `counts` as a float64 array after checking it.

    Every entry must be finite and > 0: a zero count would give a word no
    noise probability (negative sampling) or a degenerate Huffman leaf, so
    a vocabulary with reserved zero-count ids must be passed without them.
    """
    array = np.asarray(counts)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(
            f"`{name}` must be a non-empty 1-D list of counts; received shape "
            f"{array.shape}."
        )
    if not np.issubdtype(array.dtype, np.number):
        raise TypeError(f"`{name}` must be numbers; received dtype {array.dtype}.")
    if vocab_size is not None and array.size != vocab_size:
        raise ValueError(
            f"`{name}` must have `vocab_size`={vocab_size} entries; received "
            f"{array.size}."
        )
    bad = ~np.isfinite(array) | (array <= 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"`{name}` must be finite and > 0 everywhere; received {array[i].item()!r} "
            f"at index {i} ({int(bad.sum())} bad entries)."
        )
    return array.astype(np.float64)


def alias_table(probabilities):
    """Walker/Vose alias table: O(1) exact sampling from a discrete law.

    Draw `i` uniformly and `u ~ U[0, 1)`; return `i` if `u < prob[i]` else
    `alias[i]`.
    """
    p = np.asarray(probabilities, np.float64)
    n = p.size
    scaled = p * n / p.sum()
    prob = np.ones(n, np.float64)
    alias = np.arange(n, dtype=np.int64)
    small = [i for i in range(n) if scaled[i] < 1.0]
    large = [i for i in range(n) if scaled[i] >= 1.0]
    while small and large:
        s = small.pop()
        g = large.pop()
        prob[s] = scaled[s]
        alias[s] = g
        scaled[g] = scaled[g] + scaled[s] - 1.0
        (small if scaled[g] < 1.0 else large).append(g)
    # Leftovers are 1 up to rounding.
    return prob.astype(np.float32), alias.astype(np.int32)

"""The noise table of negative sampling."""

import numpy as np


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

"""NumPy random generators that follow `keras.utils.set_random_seed`."""

import random

import numpy as np


def numpy_generator(seed=None):
    """A NumPy `Generator` seeded with `seed`, or from Python's `random`.

    Unseeded, it draws its seed from Python's global `random` module, as
    Keras's own unseeded draws do, so `keras.utils.set_random_seed` makes
    its numbers reproducible (`np.random.default_rng()` takes fresh entropy
    from the system every time).

    Args:
        seed: an int, or None.

    Returns:
        A `numpy.random.Generator`.

    Example:

    >>> import keras
    >>> keras.utils.set_random_seed(0)
    >>> first = numpy_generator().integers(100, size=3)
    >>> keras.utils.set_random_seed(0)
    >>> bool((numpy_generator().integers(100, size=3) == first).all())
    True
    """
    return np.random.default_rng(random.getrandbits(64) if seed is None else seed)

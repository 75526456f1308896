"""Small synthetic embeddings with a planted bias axis, shared by the tests."""

import numpy as np


def synthetic_embeddings(vocab=24, dim=8, seed=0, unit=True):
    """Words w0..w{vocab-1}; w0..w9 are 'gendered' along a planted axis.

    Returns (words, vectors, definitional_pairs, equalize_pairs,
    gender_specific, axis).
    """
    rng = np.random.default_rng(seed)
    axis = rng.normal(size=dim)
    axis /= np.linalg.norm(axis)
    vectors = rng.normal(size=(vocab, dim))
    # Even words of w0..w9 lean one way along the axis, odd words the other;
    # neutral words get a random lean so that they carry some bias.
    lean = np.where(np.arange(vocab) % 2 == 0, 3.0, -3.0)
    lean[10:] = rng.normal(scale=0.8, size=vocab - 10)
    vectors += lean[:, None] * axis
    if unit:
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    words = [f"w{i}" for i in range(vocab)]
    definitional = [("w0", "w1"), ("w2", "w3"), ("w4", "w5")]
    equalize_pairs = [("w6", "w7"), ("w8", "w9")]
    specific = [f"w{i}" for i in range(10)]
    return words, vectors, definitional, equalize_pairs, specific, axis

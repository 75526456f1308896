"""Cheap uniform random bits for the noise draws of negative sampling.

A training step draws hundreds of thousands of noise words. Drawing each one
with `keras.random.randint` runs TensorFlow's Philox generator per value,
which took about a fifth of a word2vec step on CPU. Here one `keras.random`
call per draw gives a key, and each value's bits are a 32-bit integer hash
of its position and the key: a counter-based generator, in the spirit of
word2vec.c's per-thread linear congruential generator but stateless, so it
compiles under XLA and gives the same values eagerly and traced.
"""

import numpy as np
from keras import ops

# Weyl increment (2^32 / golden ratio): spreads consecutive counters over
# the 32-bit range before hashing.
_GOLDEN = np.uint32(0x9E3779B9)


def _mix(x):
    """A 32-bit integer hash with strong avalanche (`lowbias32`).

    Reference: C. Wellons, "Prospecting for Hash Functions" (2018).
    """
    x = ops.bitwise_xor(x, ops.right_shift(x, 16))
    x = ops.multiply(x, np.uint32(0x7FEB352D))
    x = ops.bitwise_xor(x, ops.right_shift(x, 15))
    x = ops.multiply(x, np.uint32(0x846CA68B))
    return ops.bitwise_xor(x, ops.right_shift(x, 16))


def uniform_bits(shape, keys):
    """Independent uniform uint32 words of `shape`, one stream per key.

    Args:
        shape: output shape (ints, or scalar tensors while tracing).
        keys: int32 tensor of shape `(n,)` from `keras.random` (any values).

    Returns:
        A list of `n` uint32 tensors of `shape`.
    """
    size = 1
    for dim in shape:  # may hold a traced batch size
        size = size * dim
    counter = ops.reshape(ops.arange(size, dtype="int32"), shape)
    counter = ops.multiply(ops.cast(counter, "uint32"), _GOLDEN)
    keys = ops.cast(keys, "uint32")
    # Hashing the key first makes nearby keys give unrelated streams.
    return [_mix(ops.add(counter, _mix(keys[i]))) for i in range(ops.shape(keys)[0])]

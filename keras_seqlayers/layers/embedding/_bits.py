"""Cheap uniform random bits for the noise draws of negative sampling.

A training step draws hundreds of thousands of noise words. Drawing each one
with `keras.random.randint` runs TensorFlow's Philox generator per value,
which took about a fifth of a word2vec step on CPU (and its code about 40%
of the step's XLA compilation). Here each value's bits are a 32-bit integer
hash of its position and of the seed state (a `keras.random.SeedGenerator`
state, advanced once per draw): a counter-based generator, in the spirit of
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


def uniform_bits(shape, seed_state, streams):
    """Independent uniform uint32 words of `shape`, `streams` arrays of them.

    Args:
        shape: output shape (ints, or scalar tensors while tracing).
        seed_state: integer tensor of shape `(2,)`, as
            `keras.random.SeedGenerator.next()` returns (any values).
        streams: how many independent arrays to return.

    Returns:
        A list of `streams` uint32 tensors of `shape`.
    """
    size = 1
    for dim in shape:  # may hold a traced batch size
        size = size * dim
    counter = ops.reshape(ops.arange(size, dtype="int32"), shape)
    counter = ops.multiply(ops.cast(counter, "uint32"), _GOLDEN)
    seed_state = ops.cast(seed_state, "uint32")
    key = _mix(ops.add(_mix(seed_state[0]), seed_state[1]))
    # Hashing each stream's key first makes nearby keys (and consecutive
    # seed states) give unrelated streams.
    return [
        _mix(ops.add(counter, _mix(ops.add(key, np.uint32(i) * _GOLDEN))))
        for i in range(streams)
    ]

"""Skip-gram with negative sampling (word2vec's SGNS) as a Keras layer."""

import keras
import numpy as np
from keras import ops

from keras_seqlayers.checks import check_positive_int
from keras_seqlayers.layers.embedding._counts import (
    alias_table,
    check_counts,
)
from keras_seqlayers.layers.embedding._ids import as_ids, in_vocabulary
from keras_seqlayers.layers.embedding._tables import add_word_tables
from keras_seqlayers.registration import register

# The fixed seed of the noise draws when not training, so that evaluation
# and serving of the same pairs give the same loss.
_INFERENCE_SEED = 1337
# Resolution of the alias acceptance probabilities (2^30 levels).
_SCALE = 2**30


@register
class NegativeSampling(keras.layers.Layer):
    """Per-pair loss of skip-gram with negative sampling.

    For a pair `(c, t)` (center, context) it draws `num_negatives` noise words
    `n_1..n_K` from `P(w) ∝ counts(w)^power` and returns

    `-log σ(θ_t·e_c) - Σ_k log σ(-θ_{n_k}·e_c)`

    (K+1 binary logistic problems). As in word2vec, a noise word equal to the
    true context `t` is skipped (its term is left out). The noise words are
    drawn per pair, in-graph, with an alias table and `keras.random` ops, so
    the layer compiles under XLA. While training, every call draws fresh
    noise; otherwise the draw uses a fixed seed so evaluation and serving are
    deterministic.

    Ids outside `[0, vocab_size)` give a NaN loss (ids >= `vocab_size` also
    make the gather fail in eager TensorFlow); never a silent zero vector.

    Args:
        vocab_size: number of words (int >= 1).
        embedding_dim: size of the vectors (int >= 1).
        num_negatives: noise words per pair, K (int >= 1).
        counts: list of `vocab_size` word counts, all > 0, or `None` for a
            uniform noise distribution.
        power: exponent of the counts (word2vec: 0.75).
        embeddings_initializer: initializer of the input vectors `e`;
            `None` is word2vec's `U(-0.5/dim, 0.5/dim)`.
        output_initializer: initializer of the output vectors `θ`
            (word2vec: zeros).
        seed: int seed of the noise draws during training, or `None`.

    Call arguments:
        inputs: a list `[center, context]` of integer tensors of shape
            `(batch,)` or `(batch, 1)`.
        training: whether to draw fresh noise words.

    Returns:
        The per-pair loss, shape `(batch,)`.

    Example:

    >>> import numpy as np
    >>> layer = NegativeSampling(10, 4, num_negatives=3, counts=[1] * 10)
    >>> tuple(layer([np.array([1, 2]), np.array([3, 4])]).shape)
    (2,)

    Reference:
        Mikolov et al., 2013, "Distributed Representations of Words and
        Phrases and their Compositionality".
    """

    def __init__(
        self,
        vocab_size,
        embedding_dim,
        num_negatives=5,
        counts=None,
        power=0.75,
        embeddings_initializer=None,
        output_initializer="zeros",
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.vocab_size = check_positive_int("vocab_size", vocab_size)
        self.embedding_dim = check_positive_int("embedding_dim", embedding_dim)
        self.num_negatives = check_positive_int("num_negatives", num_negatives)
        if isinstance(power, bool) or not isinstance(power, (int, float)):
            raise TypeError(f"`power` must be a number; received {power!r}.")
        if not np.isfinite(power) or power < 0:
            raise ValueError(f"`power` must be finite and >= 0; received {power}.")
        self.power = float(power)
        if counts is not None:
            checked = check_counts(counts, self.vocab_size)
            counts = [int(c) if float(c).is_integer() else float(c) for c in checked]
            noise = checked**self.power
        else:
            noise = np.ones(self.vocab_size)
        self.counts = counts
        self._noise = noise / noise.sum()
        self.embeddings_initializer = keras.initializers.get(
            embeddings_initializer
            if embeddings_initializer is not None
            else keras.initializers.RandomUniform(
                -0.5 / self.embedding_dim, 0.5 / self.embedding_dim
            )
        )
        self._default_init = embeddings_initializer is None
        self.output_initializer = keras.initializers.get(output_initializer)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def build(self, input_shape):
        self.input_embeddings, self.output_embeddings = add_word_tables(
            self, self.output_initializer
        )
        prob, alias = alias_table(self._noise)
        # Non-trainable weights: saved in .keras files and in exports. The
        # acceptance probability is an integer threshold on a uniform
        # integer draw, so mixed-precision autocasting cannot round it.
        threshold = np.round(prob.astype(np.float64) * _SCALE).astype(np.int32)
        self.alias_threshold = self.add_weight(
            name="alias_threshold",
            shape=(self.vocab_size,),
            initializer=keras.initializers.Constant(threshold),
            trainable=False,
            dtype="int32",
        )
        self.alias_index = self.add_weight(
            name="alias_index",
            shape=(self.vocab_size,),
            initializer=keras.initializers.Constant(alias),
            trainable=False,
            dtype="int32",
        )

    def sample_noise(self, shape, seed=None):
        """Draws noise word ids of `shape` from `counts^power` (alias method).

        Args:
            shape: output shape.
            seed: a `SeedGenerator` or int; default the layer's generator.

        Returns:
            An int32 tensor of ids.
        """
        if not self.built:
            self.build(None)
        seed = self.seed_generator if seed is None else seed
        if isinstance(seed, int):
            seed_a, seed_b = seed, seed + 1
        else:
            seed_a = seed_b = seed
        column = keras.random.randint(
            shape, 0, self.vocab_size, dtype="int32", seed=seed_a
        )
        u = keras.random.randint(shape, 0, _SCALE, dtype="int32", seed=seed_b)
        keep = u < ops.take(ops.convert_to_tensor(self.alias_threshold), column)
        alias = ops.take(ops.convert_to_tensor(self.alias_index), column)
        return ops.where(keep, column, alias)

    def call(self, inputs, training=None):
        center, context = (as_ids(x) for x in inputs)
        batch = ops.shape(center)[0]
        seed = self.seed_generator if training else _INFERENCE_SEED
        negatives = self.sample_noise((batch, self.num_negatives), seed=seed)
        e = ops.take(self.input_embeddings, center, axis=0)
        # One gather for the context and its noise words: (batch, K+1, dim).
        targets = ops.concatenate([context[:, None], negatives], axis=1)
        theta = ops.take(self.output_embeddings, targets, axis=0)
        # Elementwise product + sum, not a batched matmul of 1-row matrices
        # (much faster on XLA CPU).
        scores = ops.sum(e[:, None, :] * theta, axis=-1)
        # word2vec skips a noise word equal to the target.
        kept = ops.cast(ops.not_equal(negatives, context[:, None]), e.dtype)
        loss = -ops.log_sigmoid(scores[:, 0]) - ops.sum(
            kept * ops.log_sigmoid(-scores[:, 1:]), axis=-1
        )
        valid = ops.logical_and(
            in_vocabulary(center, self.vocab_size),
            in_vocabulary(context, self.vocab_size),
        )
        return ops.where(valid, loss, ops.cast(float("nan"), loss.dtype))

    def compute_output_shape(self, input_shape):
        return (input_shape[0][0],)

    def get_config(self):
        return {
            **super().get_config(),
            "vocab_size": self.vocab_size,
            "embedding_dim": self.embedding_dim,
            "num_negatives": self.num_negatives,
            "counts": self.counts,
            "power": self.power,
            "embeddings_initializer": None
            if self._default_init
            else keras.initializers.serialize(self.embeddings_initializer),
            "output_initializer": keras.initializers.serialize(self.output_initializer),
            "seed": self.seed,
        }

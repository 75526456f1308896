"""Skip-gram with negative sampling (word2vec's SGNS) as a Keras layer."""

import keras
import numpy as np
from keras import ops

from keras_seqlayers.checks import (
    check_number,
    check_positive_counts,
    check_positive_int,
    is_integer,
)
from keras_seqlayers.layers.embedding._bits import uniform_bits
from keras_seqlayers.layers.embedding._counts import alias_table
from keras_seqlayers.layers.embedding._slices import (
    sgd_on_targets,
    start_in_place_update,
    target_scores,
)
from keras_seqlayers.layers.embedding._tables import add_word_tables
from keras_seqlayers.layers.embedding.ids import as_ids, pairs_in_vocabulary
from keras_seqlayers.registration import register

# The fixed seed of the noise draws when not training, so that evaluation
# and serving of the same pairs give the same loss.
_INFERENCE_SEED = 1337
# Resolution of the alias acceptance probabilities (2^30 levels).
_SCALE_BITS = 30
_SCALE = 2**_SCALE_BITS


@register
class NegativeSampling(keras.layers.Layer):
    """Per-pair loss of skip-gram with negative sampling.

    For a pair `(c, t)` (center, context) it draws `num_negatives` noise words
    `n_1..n_K` from `P(w) ∝ counts(w)^power` and returns

    `-log σ(θ_t·e_c) - Σ_k log σ(-θ_{n_k}·e_c)`

    (K+1 binary logistic problems). As in word2vec, a noise word equal to the
    true context `t` is skipped (its term is left out). The noise words are
    drawn per pair, in-graph, with an alias table and uniform bits hashed
    from the state of the layer's `keras.random.SeedGenerator` (a
    counter-based generator in keras ops, far cheaper per value than
    `keras.random`'s), so the layer compiles under XLA. While training,
    every call draws fresh noise; otherwise the draw uses a fixed seed so
    evaluation and serving are deterministic.

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
            `(batch,)` or `(batch, 1)`. A pair with an id outside
            `[0, vocab_size)` or not a whole number gets a NaN loss (or,
            eagerly, a gather error); ids that are not numbers raise a
            `TypeError`.
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
        self.power = check_number("power", power)
        if counts is not None:
            checked = check_positive_counts(counts, self.vocab_size)
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
        if is_integer(seed):
            seed = int(seed)
        elif not isinstance(seed, keras.random.SeedGenerator):
            raise TypeError(
                "`seed` must be a `keras.random.SeedGenerator`, an integer or "
                f"None; received seed={seed!r}."
            )
        # The bits of every value are hashed from the seed state (see
        # _bits.py for why not one `randint` per value).
        if isinstance(seed, keras.random.SeedGenerator):
            state = seed.next()
        else:
            state = np.array([seed % 2**32, 0], np.uint32)
        column_bits, threshold_bits = uniform_bits(shape, state, streams=2)
        # `% vocab_size` is biased by at most vocab_size / 2^32, as
        # TensorFlow's own integer draws are.
        column = ops.cast(ops.mod(column_bits, np.uint32(self.vocab_size)), "int32")
        # The top 30 bits: uniform on the thresholds' [0, 2^30) scale.
        u = ops.cast(ops.right_shift(threshold_bits, 32 - _SCALE_BITS), "int32")
        keep = u < ops.take(ops.convert_to_tensor(self.alias_threshold), column)
        alias = ops.take(ops.convert_to_tensor(self.alias_index), column)
        return ops.where(keep, column, alias)

    def call(self, inputs, training=None):
        center, context = (as_ids(x) for x in inputs)
        seed = self.seed_generator if training else _INFERENCE_SEED
        targets, kept = self._targets(context, seed)
        e = ops.take(self.input_embeddings, center, axis=0)
        theta = ops.take(self.output_embeddings, targets, axis=0)
        loss = _pair_losses(target_scores(e, theta), kept)
        valid = pairs_in_vocabulary(center, context, self.vocab_size)
        return ops.where(valid, loss, ops.cast(float("nan"), loss.dtype))

    def sgd_update(self, inputs, learning_rate, sample_weight=None, slice_size=1024):
        """Trains both tables on a batch of pairs with plain SGD, in place.

        The loss and the noise draws are those of a training call; the
        gradient is their closed form. With `g_j = σ(θ_j·e_c) - 1` for the
        context, `σ(θ_j·e_c)` for a noise word (0 for a skipped one), times
        the pair's weight, each pair takes `e_c -= lr Σ_j g_j θ_j` and
        `θ_j -= lr g_j e_c`. The batch is applied in slices of `slice_size`
        pairs, one after another (each slice sees the updates of the ones
        before, as word2vec's own per-pair updates do); within a slice the
        steps of a repeated word add up, as in SGD on the slice's summed
        loss. Under XLA the updates are scatter-adds into the tables, so a
        step's cost does not grow with the vocabulary (without XLA each
        slice adds a table-sized tensor). Pairs with an id outside
        `[0, vocab_size)` change nothing and get a NaN loss.

        TensorFlow backend only (the updates are in-place scatter-adds on
        `tf.Variable`s); under another backend, train with `Model.fit` and a
        Keras optimizer (the layer's call is its loss).

        Args:
            inputs: a list `[center, context]` of integer tensors of shape
                `(batch,)` or `(batch, 1)`.
            learning_rate: the SGD step size (scalar).
            sample_weight: optional `(batch,)` weights of the pairs' losses.
            slice_size: pairs per in-place update (int >= 1).

        Returns:
            The per-pair losses, each taken before its slice's update, shape
            `(batch,)` (unweighted, as a call returns them, but computed in
            the tables' dtype under a mixed precision policy).

        Raises:
            RuntimeError: Keras's backend is not TensorFlow.
            TypeError: `slice_size` is not an integer.
            ValueError: `slice_size` is < 1.

        Example:

        >>> import numpy as np
        >>> layer = NegativeSampling(10, 4, counts=[1] * 10, seed=0)
        >>> losses = layer.sgd_update([np.array([1, 2]), np.array([3, 4])], 0.1)
        >>> tuple(losses.shape)
        (2,)
        """
        slice_size = start_in_place_update(self, "sgd_update", slice_size)
        center, context = (as_ids(x) for x in inputs)
        dtype = self.input_embeddings.dtype
        targets, kept = self._targets(context, self.seed_generator)
        valid = pairs_in_vocabulary(center, context, self.vocab_size)
        is_context = ops.cast(ops.arange(self.num_negatives + 1) == 0, dtype)

        def gradient(scores, k):
            g = (ops.sigmoid(scores) - is_context) * ops.cast(k, dtype)
            return g, _pair_losses(scores, k)

        # An invalid pair's targets read row 0 (it changes nothing).
        return sgd_on_targets(
            self.input_embeddings,
            self.output_embeddings,
            center,
            ops.where(valid[:, None], targets, 0),
            valid,
            sample_weight,
            learning_rate,
            slice_size,
            gradient,
            (kept,),
        )

    def _targets(self, context, seed):
        """The context and its noise words per pair, and which of them count.

        word2vec skips a noise word equal to the context; the context
        always counts.
        """
        batch = ops.shape(context)[0]
        negatives = self.sample_noise((batch, self.num_negatives), seed=seed)
        targets = ops.concatenate([context[:, None], negatives], axis=1)
        kept = ops.concatenate(
            [
                ops.ones_like(context[:, None], dtype="bool"),
                ops.not_equal(negatives, context[:, None]),
            ],
            axis=1,
        )
        return targets, kept

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


def _pair_losses(scores, kept):
    """`-log σ(s_0) - Σ_k log σ(-s_k)` over the kept targets of each pair."""
    signs = ops.where(ops.arange(ops.shape(scores)[1]) == 0, 1.0, -1.0)
    terms = ops.log_sigmoid(ops.cast(signs, scores.dtype) * scores)
    return -ops.sum(ops.where(kept, terms, ops.zeros_like(terms)), axis=-1)

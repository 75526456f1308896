"""The GloVe bilinear score `w_i · w~_j + b_i + b~_j` with its four tables."""

import keras
import numpy as np
from keras import ops

from keras_seqlayers.checks import check_choice, check_positive_int, is_integer
from keras_seqlayers.layers.embedding._slices import (
    scatter_add,
    start_in_place_update,
    update_in_slices,
)
from keras_seqlayers.layers.embedding.ids import int32_ids, pairs_in_vocabulary
from keras_seqlayers.registration import register

_COMBINE = ("sum", "mean", "word", "context", "concat")
# Pairs per in-place AdaGrad step: the rows a slice of this size reads are
# still in cache when it writes them back, and a slice is large enough that
# the loop over slices costs little (benchmarks/RESULTS.md has the figures).
SLICE_SIZE = 4096


def _another_draw(initializer):
    """`initializer` for the context table (or bias), with a draw of its own.

    An initializer with an integer seed (Keras's random initializers, also
    unseeded ones, which pick an integer seed when made) returns the same
    values at every call: it is rebuilt from its config, as
    `keras.initializers.Initializer.clone` does, with the next seed. Others
    (constants, random ones seeded with a `keras.random.SeedGenerator`,
    which draw anew at every call, and plain callables) are used as they
    are.
    """
    seed = getattr(initializer, "seed", None)
    if not is_integer(seed):
        return initializer
    config = initializer.get_config()
    config["seed"] = int(seed) + 1
    return type(initializer).from_config(config)


@register
class GloVe(keras.layers.Layer):
    """GloVe's model of a co-occurrence: `w_i · w~_j + b_i + b~_j`.

    Holds the word vectors `W`, the context vectors `W~` and the biases `b`,
    `b~`. Called on a batch of `(i, j)` id pairs it returns the prediction of
    `log X_ij`; train it with `ksl.losses.GloVeLoss` on the pairs of
    `ksl.text.cooccurrence(...).dataset()`, or use `ksl.models.GloVe`.

    Args:
        vocab_size: number of words `V` (int >= 1).
        embedding_dim: size of the vectors (int >= 1).
        embeddings_initializer: initializer of `W` and `W~`. Default None:
            uniform on `[-0.5/embedding_dim, 0.5/embedding_dim]`, as the
            reference GloVe code. With Keras's initializers `W~` gets its
            own draw: a random initializer seeded with an integer `s` draws
            `W` with seed `s` and `W~` with seed `s + 1` (they repeat their
            values at every call; the paper draws the tables
            independently). Another initializer is called once per table,
            as it is.
        bias_initializer: initializer of `b` and `b~` (`b~` gets its own
            draw, as `W~`). Default `"zeros"`.
        embeddings_regularizer: optional regularizer of `W` and `W~`.
        bias_regularizer: optional regularizer of `b` and `b~`.

    Call arguments:
        inputs: the pairs, either a list/tuple `(i, j)` of two integer
            tensors of one shape (static shapes that differ raise a
            `ValueError`, not broadcast), or one integer tensor whose last
            axis has
            size 2 (`[..., 0]` is `i`, `[..., 1]` is `j`). Ids must be whole
            numbers in `[0, vocab_size)`; a pair with another id scores NaN,
            and ids that are not numbers raise a `TypeError`.

    Returns:
        The scores `w_i · w~_j + b_i + b~_j`, with the shape of `i`.

    Example:

    >>> import numpy as np
    >>> layer = GloVe(vocab_size=10, embedding_dim=4)
    >>> tuple(layer((np.array([1, 2]), np.array([3, 4]))).shape)
    (2,)
    >>> layer.vectors().shape  # W + W~
    (10, 4)

    Reference:
        Pennington, Socher and Manning, "GloVe: Global Vectors for Word
        Representation", EMNLP 2014.
    """

    def __init__(
        self,
        vocab_size,
        embedding_dim,
        embeddings_initializer=None,
        bias_initializer="zeros",
        embeddings_regularizer=None,
        bias_regularizer=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.vocab_size = check_positive_int("vocab_size", vocab_size)
        self.embedding_dim = check_positive_int("embedding_dim", embedding_dim)
        if embeddings_initializer is None:
            scale = 0.5 / embedding_dim
            self._embeddings_init = keras.initializers.RandomUniform(-scale, scale)
        else:
            self._embeddings_init = keras.initializers.get(embeddings_initializer)
        # Constructor arguments as given, for `get_config`.
        self._arguments = {
            "embeddings_initializer": embeddings_initializer,
            "bias_initializer": bias_initializer,
            "embeddings_regularizer": embeddings_regularizer,
            "bias_regularizer": bias_regularizer,
        }
        self.embeddings_initializer = embeddings_initializer
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.embeddings_regularizer = keras.regularizers.get(embeddings_regularizer)
        self.bias_regularizer = keras.regularizers.get(bias_regularizer)

    def build(self, input_shape=None):
        # The tables do not depend on the input shape.
        def table(name, shape, initializer, regularizer):
            return self.add_weight(
                name=name,
                shape=shape,
                initializer=initializer,
                regularizer=regularizer,
            )

        V, d = self.vocab_size, self.embedding_dim
        init, reg = self._embeddings_init, self.embeddings_regularizer
        self.word_embeddings = table("word_embeddings", (V, d), init, reg)
        self.context_embeddings = table(
            "context_embeddings", (V, d), _another_draw(init), reg
        )
        init, reg = self.bias_initializer, self.bias_regularizer
        self.word_bias = table("word_bias", (V,), init, reg)
        self.context_bias = table("context_bias", (V,), _another_draw(init), reg)

    def _split(self, inputs):
        if isinstance(inputs, (list, tuple)):
            if len(inputs) != 2:
                raise ValueError(
                    "`inputs` must be a pair (i, j); received a sequence of "
                    f"{len(inputs)} tensors."
                )
            return inputs[0], inputs[1]
        if inputs.shape[-1] != 2:
            raise ValueError(
                "A single `inputs` tensor must have a last axis of size 2 "
                f"(i, j); received shape {inputs.shape}."
            )
        return inputs[..., 0], inputs[..., 1]

    def call(self, inputs):
        i, j, valid = self._ids(inputs)
        _, _, score = self._score(i, j)
        return ops.where(valid, score, float("nan"))

    def _ids(self, inputs):
        """`i`, `j` as int32 clipped into the vocabulary, and which were in it."""
        i, j = self._split(inputs)
        i, j = int32_ids(i), int32_ids(j)
        if not _compatible(i.shape, j.shape):
            # Else `i` and `j` would broadcast into pairs nobody asked for.
            raise ValueError(
                "`inputs` i and j must have one shape; received shapes "
                f"{tuple(i.shape)} and {tuple(j.shape)}."
            )
        valid = pairs_in_vocabulary(i, j, self.vocab_size)
        last = self.vocab_size - 1
        return ops.clip(i, 0, last), ops.clip(j, 0, last), valid

    def _score(self, i, j):
        """The rows `w_i`, `w~_j` and the score `w_i · w~_j + b_i + b~_j`."""
        w = ops.take(self.word_embeddings, i, axis=0)
        w_tilde = ops.take(self.context_embeddings, j, axis=0)
        score = (
            ops.sum(w * w_tilde, axis=-1)
            + ops.take(self.word_bias, i, axis=0)
            + ops.take(self.context_bias, j, axis=0)
        )
        return w, w_tilde, score

    def adagrad_update(
        self,
        inputs,
        targets,
        weights,
        accumulators,
        learning_rate,
        epsilon=1e-7,
        slice_size=SLICE_SIZE,
    ):
        """Trains the four tables with AdaGrad, in place, on a batch of pairs.

        The loss is `Σ weights (score - targets)^2` over the pairs, GloVe's
        loss with `weights = f(X_ij)` and `targets = log X_ij` (see
        `ksl.losses.GloVeLoss.weights_and_targets`); its gradient is taken in
        closed form. The step is that of `keras.optimizers.Adagrad` on the
        gradient of one embedding lookup per table: each table `T` with
        accumulator `A` takes, for every pair `k` that reads row `r`,
        `A_r += g_k^2` and then `T_r -= lr g_k / sqrt(A_r + epsilon)` (so a
        word's repeated pairs add their squares separately, as Keras's
        AdaGrad does on sparse gradients). The batch is applied in slices of
        `slice_size` pairs, one after another, each slice one such step; a
        slice that fits in cache is faster to update than the whole batch.
        Under XLA the updates are scatter-adds into the variables, so a
        step's cost does not grow with the vocabulary. Pairs with an id
        outside `[0, vocab_size)` change nothing and score NaN.

        TensorFlow backend only (the updates are in-place scatter-adds on
        `tf.Variable`s); under another backend, train with `Model.fit`,
        `ksl.losses.GloVeLoss` and `keras.optimizers.Adagrad`.

        Args:
            inputs: the pairs, as for a call, each id tensor of shape
                `(batch,)`.
            targets: `(batch,)` regression targets (`log X_ij`).
            weights: `(batch,)` weights of the squared errors (`f(X_ij)`,
                times any sample weight).
            accumulators: AdaGrad's sums of squared gradients, four
                variables with the shapes and dtype of `W`, `W~`, `b`, `b~`,
                in that order.
            learning_rate: AdaGrad's learning rate (scalar).
            epsilon: added to the sums before the square root. Default
                1e-7, `keras.optimizers.Adagrad`'s.
            slice_size: pairs per AdaGrad step (int >= 1). Default 4096.

        Returns:
            The scores, each taken before its slice's update, shape
            `(batch,)`.

        Raises:
            RuntimeError: Keras's backend is not TensorFlow.
            TypeError: `slice_size` is not an integer, or an accumulator is
                not a variable.
            ValueError: `slice_size` is < 1, or `accumulators` are not four
                variables with the tables' shapes and dtype.

        Example:

        >>> import keras
        >>> import numpy as np
        >>> layer = GloVe(vocab_size=10, embedding_dim=4)
        >>> layer.build()
        >>> sums = [keras.Variable(keras.ops.ones_like(w)) for w in layer.weights]
        >>> scores = layer.adagrad_update(
        ...     (np.array([1, 2]), np.array([3, 4])),
        ...     targets=np.array([0.5, 1.0]),
        ...     weights=np.array([1.0, 0.2]),
        ...     accumulators=sums,
        ...     learning_rate=0.05,
        ... )
        >>> tuple(scores.shape)
        (2,)
        """
        slice_size = start_in_place_update(self, "adagrad_update", slice_size)
        tables = (
            self.word_embeddings,
            self.context_embeddings,
            self.word_bias,
            self.context_bias,
        )
        for k, a in enumerate(accumulators):
            # Checked before any table is updated: an array or tensor would
            # fail at its first `assign_add`, half way through.
            if not hasattr(a, "assign_add"):
                raise TypeError(
                    "`accumulators` must be variables (`keras.Variable` or "
                    f"`tf.Variable`); received {type(a).__name__} at index {k}."
                )
        dtype = self.word_embeddings.dtype
        shapes = [(tuple(t.shape), dtype) for t in tables]
        received = [
            (tuple(a.shape), keras.backend.standardize_dtype(a.dtype))
            for a in accumulators
        ]
        if received != shapes:
            raise ValueError(
                "`accumulators` must be four variables with the shapes and "
                f"dtype of W, W~, b and b~, {shapes}; received {received}."
            )
        i, j, valid = (ops.reshape(t, (-1,)) for t in self._ids(inputs))
        step = ops.cast(learning_rate, dtype)
        epsilon = ops.cast(epsilon, dtype)
        weights = ops.where(valid, ops.reshape(ops.cast(weights, dtype), (-1,)), 0)
        targets = ops.where(valid, ops.reshape(ops.cast(targets, dtype), (-1,)), 0)

        def update(ii, jj, weight, target):
            w, w_tilde, score = self._score(ii, jj)
            error = 2 * weight * (score - target)
            gradients = (
                (ii, error[:, None] * w_tilde),
                (jj, error[:, None] * w),
                (ii, error),
                (jj, error),
            )
            for table, accumulator, (ids, gradient) in zip(
                tables, accumulators, gradients, strict=True
            ):
                scatter_add(accumulator, ids, ops.square(gradient))
                sums = ops.take(accumulator, ids, axis=0)
                scatter_add(table, ids, -(step * gradient) / ops.sqrt(sums + epsilon))
            return score

        # Padding pairs (row 0, weight 0) change nothing.
        scores = update_in_slices((i, j, weights, targets), slice_size, update, dtype)
        return ops.where(valid, scores, ops.cast(float("nan"), dtype))

    def compute_output_shape(self, input_shape):
        if isinstance(input_shape, (list, tuple)) and isinstance(
            input_shape[0], (list, tuple)
        ):
            return tuple(input_shape[0])
        return tuple(input_shape)[:-1]

    def vectors(self, combine="sum"):
        """Returns the trained word vectors as a NumPy array `(V, d)`.

        Args:
            combine: `"sum"` (`W + W~`, GloVe's choice), `"mean"`, `"word"`
                (`W`), `"context"` (`W~`) or `"concat"` (`[W, W~]`, `(V, 2d)`).

        Returns:
            A float NumPy array.
        """
        check_choice("combine", combine, _COMBINE)
        if not self.built:
            self.build()
        W = self.word_embeddings.numpy()
        W_tilde = self.context_embeddings.numpy()
        if combine == "sum":
            return W + W_tilde
        if combine == "mean":
            return (W + W_tilde) / 2
        if combine == "word":
            return W
        if combine == "context":
            return W_tilde
        return np.concatenate([W, W_tilde], axis=-1)

    def get_config(self):
        return {
            **super().get_config(),
            "vocab_size": self.vocab_size,
            "embedding_dim": self.embedding_dim,
            "embeddings_initializer": _serialize(
                self._arguments["embeddings_initializer"],
                keras.initializers.serialize,
            ),
            "bias_initializer": _serialize(
                self._arguments["bias_initializer"], keras.initializers.serialize
            ),
            "embeddings_regularizer": _serialize(
                self._arguments["embeddings_regularizer"],
                keras.regularizers.serialize,
            ),
            "bias_regularizer": _serialize(
                self._arguments["bias_regularizer"], keras.regularizers.serialize
            ),
        }


def _compatible(a, b):
    """Whether two shapes, `None` for an unknown size, can be equal.

    A TensorFlow shape of unknown rank (`rank` None, traced with
    `TensorSpec(None)`) is compatible with every shape.
    """
    if getattr(a, "rank", 0) is None or getattr(b, "rank", 0) is None:
        return True
    return len(a) == len(b) and all(
        m is None or n is None or m == n for m, n in zip(a, b, strict=True)
    )


def _serialize(argument, serialize):
    # Names and None stay as given; objects become their Keras config.
    if argument is None or isinstance(argument, (str, dict)):
        return argument
    return serialize(argument)

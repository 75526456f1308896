"""The fixed-window neural language model of Bengio et al. (2003)."""

import keras
from keras import ops

from keras_seqlayers.checks import check_bool, check_positive_int, check_rate
from keras_seqlayers.embeddings.similarity import WordVectors
from keras_seqlayers.registration import register


@register
class Perplexity(keras.metrics.Metric):
    """Perplexity `exp(mean(-log p(y)))` from predicted probabilities.

    Args:
        from_logits: predictions are logits rather than probabilities.
        name: metric name.

    Example:

    >>> import numpy as np
    >>> m = Perplexity()
    >>> m.update_state(np.array([1]), np.array([[0.5, 0.5]]))
    >>> round(float(m.result()), 4)
    2.0
    """

    def __init__(self, from_logits=False, name="perplexity", **kwargs):
        super().__init__(name=name, **kwargs)
        self.from_logits = check_bool("from_logits", from_logits)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")

    def update_state(self, y_true, y_pred, sample_weight=None):
        nll = keras.losses.sparse_categorical_crossentropy(
            y_true, ops.cast(y_pred, "float32"), from_logits=self.from_logits
        )
        weight = ops.ones_like(nll)
        if sample_weight is not None:
            weight = ops.broadcast_to(ops.cast(sample_weight, "float32"), nll.shape)
        self.total.assign_add(ops.sum(nll * weight))
        self.count.assign_add(ops.sum(weight))

    def result(self):
        return ops.exp(self.total / ops.maximum(self.count, 1.0))

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits}


@register
class NeuralLanguageModel(keras.Model):
    """Predicts the next word from the previous `context_size` words.

    `p(w_t | w_{t-n}..w_{t-1}) = softmax(U tanh(H [C(w_{t-n}); ...;
    C(w_{t-1})] + d) + b)`: the previous words' vectors are looked up in the
    embedding matrix `C`, concatenated, passed through a tanh hidden layer
    and a softmax over the vocabulary (the model that preceded word2vec).
    Train it with `fit` on `keras_seqlayers.text.ngram_windows` and a
    sparse categorical cross-entropy; the `Perplexity` metric reports
    perplexity. `vectors(words)` returns the learned embedding matrix as
    word vectors.

    Args:
        vocab_size: number of words (int >= 1).
        context_size: previous words used, n (int >= 1).
        embedding_dim: size of the word vectors (int >= 1).
        hidden_units: size of the tanh layer (int >= 1).
        dropout: dropout on the concatenated embeddings, in [0, 1).

    Call arguments:
        inputs: integer ids of shape `(batch, context_size)`.
        training: whether dropout is active.

    Returns:
        `(batch, vocab_size)` probabilities of the next word.

    Example:

    >>> import numpy as np
    >>> model = NeuralLanguageModel(vocab_size=10, context_size=2)
    >>> tuple(model(np.array([[1, 2], [3, 4]])).shape)
    (2, 10)

    Reference:
        Bengio, Ducharme, Vincent & Jauvin, 2003, "A Neural Probabilistic
        Language Model", JMLR 3.
    """

    def __init__(
        self,
        vocab_size,
        context_size=3,
        embedding_dim=64,
        hidden_units=128,
        dropout=0.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.vocab_size = check_positive_int("vocab_size", vocab_size)
        self.context_size = check_positive_int("context_size", context_size)
        self.embedding_dim = check_positive_int("embedding_dim", embedding_dim)
        self.hidden_units = check_positive_int("hidden_units", hidden_units)
        self.dropout = check_rate("dropout", dropout)
        # Sublayers follow the model's dtype policy (e.g. mixed_float16).
        policy = self.dtype_policy
        self.embedding = keras.layers.Embedding(
            vocab_size, embedding_dim, dtype=policy, name="embedding"
        )
        self.concat = keras.layers.Reshape(
            (context_size * embedding_dim,), dtype=policy
        )
        self.drop = keras.layers.Dropout(dropout, dtype=policy)
        self.hidden = keras.layers.Dense(
            hidden_units, activation="tanh", dtype=policy, name="hidden"
        )
        self.logits = keras.layers.Dense(vocab_size, dtype=policy, name="logits")

    def call(self, inputs, training=None):
        x = self.embedding(ops.cast(inputs, "int32"))
        x = self.drop(self.concat(x), training=training)
        logits = self.logits(self.hidden(x))
        return ops.softmax(ops.cast(logits, "float32"), axis=-1)

    @property
    def embeddings(self):
        """The embedding matrix `C`, shape `(vocab_size, embedding_dim)`."""
        if not self.embedding.built:
            self.embedding.build((None, self.context_size))
        return self.embedding.embeddings.numpy()

    def vectors(self, words):
        """The embedding matrix as `WordVectors` for `words` (id order)."""
        words = list(words)
        if len(words) != self.vocab_size:
            raise ValueError(
                f"`words` must have `vocab_size`={self.vocab_size} entries; "
                f"received {len(words)}."
            )
        return WordVectors(words, self.embeddings)

    def get_config(self):
        return {
            **super().get_config(),
            "vocab_size": self.vocab_size,
            "context_size": self.context_size,
            "embedding_dim": self.embedding_dim,
            "hidden_units": self.hidden_units,
            "dropout": self.dropout,
        }

"""The textbook skip-gram model: full softmax over the vocabulary."""

import keras
from keras import ops

from keras_seqlayers.checks import check_bool, check_positive_int
from keras_seqlayers.layers.embedding._tables import add_word_tables
from keras_seqlayers.layers.embedding.ids import as_ids, in_vocabulary
from keras_seqlayers.registration import register


@register
class SkipGram(keras.layers.Layer):
    """Skip-gram with a full softmax: `p(t|c) = exp(θ_t·e_c) / Σ_j exp(θ_j·e_c)`.

    Costs O(V) per center word; fine for small vocabularies and for teaching.
    Use `NegativeSampling` or `HierarchicalSoftmax` for real corpora.

    Args:
        vocab_size: number of words (int >= 1).
        embedding_dim: size of the vectors (int >= 1).
        return_logits: return the scores `θ_j·e_c` instead of the
            probabilities (pair with a `from_logits=True` loss).
        embeddings_initializer: initializer of the input vectors `e`.
        output_initializer: initializer of the output vectors `θ`.

    Call arguments:
        inputs: integer center ids, shape `(batch,)` or `(batch, 1)`. An id
            outside `[0, vocab_size)` or not a whole number gives a NaN row
            (or, eagerly, a gather error); ids that are not numbers raise a
            `TypeError`.

    Returns:
        `(batch, vocab_size)` probabilities `p(t|c)` (or logits).

    Example:

    >>> import numpy as np
    >>> layer = SkipGram(vocab_size=6, embedding_dim=3)
    >>> p = layer(np.array([0, 5]))
    >>> tuple(p.shape), bool(np.allclose(np.sum(p, axis=-1), 1.0, atol=1e-6))
    ((2, 6), True)

    Reference:
        Mikolov et al., 2013, "Efficient Estimation of Word Representations
        in Vector Space".
    """

    def __init__(
        self,
        vocab_size,
        embedding_dim,
        return_logits=False,
        embeddings_initializer="uniform",
        output_initializer="glorot_uniform",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.vocab_size = check_positive_int("vocab_size", vocab_size)
        self.embedding_dim = check_positive_int("embedding_dim", embedding_dim)
        self.return_logits = check_bool("return_logits", return_logits)
        self.embeddings_initializer = keras.initializers.get(embeddings_initializer)
        self.output_initializer = keras.initializers.get(output_initializer)

    def build(self, input_shape):
        self.input_embeddings, self.output_embeddings = add_word_tables(
            self, self.output_initializer
        )

    def call(self, inputs):
        center = as_ids(inputs)
        e = ops.take(self.input_embeddings, center, axis=0)
        logits = ops.matmul(e, ops.transpose(self.output_embeddings))
        valid = in_vocabulary(center, self.vocab_size)
        logits = ops.where(valid[:, None], logits, ops.cast(float("nan"), e.dtype))
        if self.return_logits:
            return logits
        return ops.softmax(logits, axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.vocab_size)

    def get_config(self):
        return {
            **super().get_config(),
            "vocab_size": self.vocab_size,
            "embedding_dim": self.embedding_dim,
            "return_logits": self.return_logits,
            "embeddings_initializer": keras.initializers.serialize(
                self.embeddings_initializer
            ),
            "output_initializer": keras.initializers.serialize(self.output_initializer),
        }

"""Averaged word vectors, then softmax: ŷ = softmax(W · mean_t e_{x_t} + b)."""

import keras
from keras import ops

from keras_seqlayers.checks import check_bool, check_positive_int, renamed_argument
from keras_seqlayers.models.token_classifier import (
    TokenClassifier,
)
from keras_seqlayers.registration import register


@register
class AveragedEmbeddingClassifier(TokenClassifier):
    """Mean of the word vectors of the real tokens, then a softmax layer.

    The bag-of-words baseline of the course: word order is lost, so
    "good, not bad" and "bad, not good" get the same prediction. Padding
    (token id 0) does not enter the mean.

    Args:
        vocab_size: number of token ids (rows of the embedding).
        embedding_dim: size of the word vectors.
        num_classes: number of classes (>= 2).
        trainable_embeddings: whether `fit` updates the word vectors
            (`False` keeps pretrained vectors frozen).
        vocabulary_size: deprecated name of `vocab_size` (keyword only; it
            warns, and configs saved under it still load).
        **kwargs: `keras.Model` arguments (`name`, `dtype`).

    Call arguments:
        inputs: integer token ids `(batch, time)`, right-padded with 0.

    Returns:
        Class probabilities `(batch, num_classes)`. A row of padding only
        averages to the zero vector.

    Example:

    >>> import numpy as np
    >>> model = AveragedEmbeddingClassifier(10, 4, num_classes=2)
    >>> model(np.array([[3, 4, 0], [5, 0, 0]])).shape
    TensorShape([2, 2])

    Reference:
        Iyyer et al., "Deep Unordered Composition Rivals Syntactic Methods
        for Text Classification", ACL 2015.
    """

    def __init__(
        self,
        vocab_size=None,
        embedding_dim=None,
        num_classes=None,
        trainable_embeddings=True,
        *,
        vocabulary_size=None,
        **kwargs,
    ):
        vocab_size = renamed_argument(
            "vocab_size", vocab_size, "vocabulary_size", vocabulary_size
        )
        self.vocab_size = check_positive_int("vocab_size", vocab_size)
        self.embedding_dim = check_positive_int("embedding_dim", embedding_dim)
        self.num_classes = check_positive_int("num_classes", num_classes, minimum=2)
        self.trainable_embeddings = check_bool(
            "trainable_embeddings", trainable_embeddings
        )
        super().__init__(**kwargs)
        self.embedding = keras.layers.Embedding(
            self.vocab_size,
            self.embedding_dim,
            trainable=self.trainable_embeddings,
            dtype=self.dtype_policy,
            name="embedding",
        )
        self.classifier = keras.layers.Dense(
            self.num_classes,
            activation="softmax",
            dtype=self.dtype_policy,
            name="classifier",
        )

    def build(self, input_shape):
        self.embedding.build(input_shape)
        self.classifier.build((input_shape[0], self.embedding_dim))

    def call(self, inputs):
        ids = ops.cast(inputs, "int32")
        vectors = self.embedding(ids)
        real = ops.cast(ops.not_equal(ids, 0), vectors.dtype)
        total = ops.sum(vectors * ops.expand_dims(real, -1), axis=1)
        count = ops.maximum(ops.sum(real, axis=1, keepdims=True), 1)
        return self.classifier(total / count)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.num_classes)

    def get_config(self):
        return {
            **super().get_config(),
            "vocab_size": self.vocab_size,
            "embedding_dim": self.embedding_dim,
            "num_classes": self.num_classes,
            "trainable_embeddings": self.trainable_embeddings,
        }

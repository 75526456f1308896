"""Embedding, recurrent layer (optionally bidirectional), softmax."""

import keras

from keras_seqlayers.checks import (
    check_bool,
    check_choice,
    check_positive_int,
    renamed_argument,
)
from keras_seqlayers.layers.recurrent.bidirectional import Bidirectional
from keras_seqlayers.models._common import CELLS
from keras_seqlayers.models.token_classifier import TokenClassifier
from keras_seqlayers.registration import register

MERGE_MODES = ("concat", "sum", "mul", "ave")


@register
class RecurrentClassifier(TokenClassifier):
    """Many-to-one classifier: word vectors read in order by a GRU or LSTM.

    Token id 0 is padding and is masked: each sequence of a padded batch is
    classified exactly as if it were alone (the backward direction of a
    bidirectional layer starts at each sequence's last real token).

    Args:
        vocab_size: number of token ids (rows of the embedding).
        embedding_dim: size of the word vectors.
        num_classes: number of classes (>= 2).
        units: units of the recurrent layer (per direction).
        cell: `"gru"` (default) or `"lstm"`, this package's layers.
        bidirectional: whether the recurrent layer is wrapped in
            `Bidirectional` (default `True`).
        merge_mode: how the two directions merge: `"concat"`, `"sum"`,
            `"mul"` or `"ave"`.
        dropout: input dropout of the recurrent layer, in [0, 1).
        trainable_embeddings: whether `fit` updates the word vectors.
        vocabulary_size: deprecated name of `vocab_size` (keyword only; it
            warns, and configs saved under it still load).
        **kwargs: `keras.Model` arguments (`name`, `dtype`).

    Call arguments:
        inputs: integer token ids `(batch, time)`, right-padded with 0.
        training: whether dropout is applied.

    Returns:
        Class probabilities `(batch, num_classes)`.

    Example:

    >>> import numpy as np
    >>> model = RecurrentClassifier(10, 4, num_classes=3, units=8)
    >>> model(np.array([[3, 4, 0], [5, 0, 0]])).shape
    TensorShape([2, 3])

    Reference:
        Schuster and Paliwal, "Bidirectional recurrent neural networks",
        1997; Cho et al., "Learning Phrase Representations using RNN
        Encoder-Decoder for Statistical Machine Translation", 2014.
    """

    def __init__(
        self,
        vocab_size=None,
        embedding_dim=None,
        num_classes=None,
        units=64,
        cell="gru",
        bidirectional=True,
        merge_mode="concat",
        dropout=0.0,
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
        check_choice("cell", cell, sorted(CELLS))
        check_choice("merge_mode", merge_mode, MERGE_MODES)
        self.cell = cell
        self.bidirectional = check_bool("bidirectional", bidirectional)
        self.merge_mode = merge_mode
        self.trainable_embeddings = check_bool(
            "trainable_embeddings", trainable_embeddings
        )
        super().__init__(**kwargs)
        self.embedding = keras.layers.Embedding(
            self.vocab_size,
            self.embedding_dim,
            mask_zero=True,
            trainable=self.trainable_embeddings,
            dtype=self.dtype_policy,
            name="embedding",
        )
        # The recurrent layer checks `units` and `dropout` (same messages).
        recurrent = CELLS[cell](
            units, dropout=dropout, dtype=self.dtype_policy, name=cell
        )
        self.units = recurrent.units
        self.dropout = recurrent.dropout
        if self.bidirectional:
            recurrent = Bidirectional(
                recurrent, merge_mode=merge_mode, dtype=self.dtype_policy
            )
        self.recurrent = recurrent
        self.classifier = keras.layers.Dense(
            self.num_classes,
            activation="softmax",
            dtype=self.dtype_policy,
            name="classifier",
        )

    @property
    def features(self):
        if self.bidirectional and self.merge_mode == "concat":
            return 2 * self.units
        return self.units

    def build(self, input_shape):
        self.embedding.build(input_shape)
        self.recurrent.build((input_shape[0], input_shape[1], self.embedding_dim))
        self.classifier.build((input_shape[0], self.features))

    def call(self, inputs, training=None):
        ids = keras.ops.cast(inputs, "int32")
        vectors = self.embedding(ids)
        mask = self.embedding.compute_mask(ids)
        encoded = self.recurrent(vectors, mask=mask, training=training)
        return self.classifier(encoded)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.num_classes)

    def get_config(self):
        return {
            **super().get_config(),
            "vocab_size": self.vocab_size,
            "embedding_dim": self.embedding_dim,
            "num_classes": self.num_classes,
            "units": self.units,
            "cell": self.cell,
            "bidirectional": self.bidirectional,
            "merge_mode": self.merge_mode,
            "dropout": self.dropout,
            "trainable_embeddings": self.trainable_embeddings,
        }

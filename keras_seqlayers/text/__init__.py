"""TensorFlow input pipelines: tokenization, vocabulary, training pairs."""

from keras_seqlayers.text.cooccurrence import CooccurrenceMatrix, cooccurrence

__all__ = ["CooccurrenceMatrix", "cooccurrence"]

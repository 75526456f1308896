"""Ready-made Keras models built from the package's layers."""

from keras_seqlayers.models.word2vec import Word2Vec, WordsPerSecond

__all__ = ["Word2Vec", "WordsPerSecond"]

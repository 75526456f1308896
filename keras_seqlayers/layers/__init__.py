"""Keras layers: the recurrent family and the word-embedding family."""

from keras_seqlayers.layers.embedding import GloVe

__all__ = ["GloVe"]

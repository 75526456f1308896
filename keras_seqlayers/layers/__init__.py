"""Keras layers: the recurrent family and the word-embedding family."""

from keras_seqlayers.layers.embedding import (
    HierarchicalSoftmax,
    NegativeSampling,
    SkipGram,
)

__all__ = ["HierarchicalSoftmax", "NegativeSampling", "SkipGram"]

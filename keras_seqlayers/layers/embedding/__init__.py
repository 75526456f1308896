"""Word-embedding layers: skip-gram, negative sampling, hierarchical softmax,
GloVe and debias."""

from keras_seqlayers.layers.embedding.debias import Debias

__all__ = ["Debias"]

"""Word-embedding layers: skip-gram, negative sampling, hierarchical softmax,
GloVe and debias."""

from keras_seqlayers.layers.embedding.glove import GloVe

__all__ = ["GloVe"]

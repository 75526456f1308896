"""Word-embedding layers: skip-gram, negative sampling, hierarchical softmax,
GloVe and debias."""

from keras_seqlayers.layers.embedding.debias import Debias
from keras_seqlayers.layers.embedding.glove import GloVe
from keras_seqlayers.layers.embedding.hierarchical_softmax import HierarchicalSoftmax
from keras_seqlayers.layers.embedding.negative_sampling import NegativeSampling
from keras_seqlayers.layers.embedding.skipgram import SkipGram

__all__ = ["Debias", "GloVe", "HierarchicalSoftmax", "NegativeSampling", "SkipGram"]

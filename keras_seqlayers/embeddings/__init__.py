"""Working with trained word vectors: I/O, similarity, analogies, bias."""

from keras_seqlayers.embeddings.bias import (
    BiasDirection,
    WEATResult,
    bias_direction,
    debias_embeddings,
    direct_bias,
    equalize,
    neutralize,
    weat_effect_size,
)
from keras_seqlayers.embeddings.io import load_word2vec_format, save_word2vec_format
from keras_seqlayers.embeddings.similarity import (
    WordVectors,
    analogy,
    cosine_similarity,
    most_similar,
)

__all__ = [
    "BiasDirection",
    "WEATResult",
    "WordVectors",
    "analogy",
    "bias_direction",
    "cosine_similarity",
    "debias_embeddings",
    "direct_bias",
    "equalize",
    "load_word2vec_format",
    "most_similar",
    "neutralize",
    "save_word2vec_format",
    "weat_effect_size",
]

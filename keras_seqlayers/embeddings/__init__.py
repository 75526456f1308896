"""Working with trained word vectors: I/O, similarity, analogies."""

from keras_seqlayers.embeddings.io import load_word2vec_format, save_word2vec_format
from keras_seqlayers.embeddings.similarity import (
    WordVectors,
    analogy,
    cosine_similarity,
    most_similar,
)

__all__ = [
    "WordVectors",
    "analogy",
    "cosine_similarity",
    "load_word2vec_format",
    "most_similar",
    "save_word2vec_format",
]

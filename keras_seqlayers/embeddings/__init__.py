"""Working with trained word vectors: I/O, similarity, analogies, evaluation."""

from keras_seqlayers.embeddings.evaluation import (
    evaluate_word_analogies,
    evaluate_word_pairs,
)
from keras_seqlayers.embeddings.io import (
    export_projector,
    load_word2vec_format,
    save_word2vec_format,
)
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
    "evaluate_word_analogies",
    "evaluate_word_pairs",
    "export_projector",
    "load_word2vec_format",
    "most_similar",
    "save_word2vec_format",
]

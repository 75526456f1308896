"""Working with trained word vectors: I/O, similarity, analogies, evaluation,
bias."""

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
    "BiasDirection",
    "WEATResult",
    "WordVectors",
    "analogy",
    "bias_direction",
    "cosine_similarity",
    "debias_embeddings",
    "direct_bias",
    "equalize",
    "evaluate_word_analogies",
    "evaluate_word_pairs",
    "export_projector",
    "load_word2vec_format",
    "most_similar",
    "neutralize",
    "save_word2vec_format",
    "weat_effect_size",
]

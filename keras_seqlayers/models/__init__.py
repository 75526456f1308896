"""Ready-made Keras models built from the package's layers."""

from keras_seqlayers.models.glove import GloVe
from keras_seqlayers.models.neural_language_model import NeuralLanguageModel, Perplexity
from keras_seqlayers.models.word2vec import Word2Vec, WordsPerSecond

__all__ = ["GloVe", "NeuralLanguageModel", "Perplexity", "Word2Vec", "WordsPerSecond"]

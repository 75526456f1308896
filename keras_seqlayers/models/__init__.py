"""Ready-made Keras models built from the package's layers."""

from keras_seqlayers.models.averaged_classifier import AveragedEmbeddingClassifier
from keras_seqlayers.models.callbacks import WordsPerSecond
from keras_seqlayers.models.glove import GloVe
from keras_seqlayers.models.language_model import LanguageModel
from keras_seqlayers.models.neural_language_model import NeuralLanguageModel, Perplexity
from keras_seqlayers.models.recurrent_classifier import RecurrentClassifier
from keras_seqlayers.models.seq2seq import LuongAttention, Seq2Seq
from keras_seqlayers.models.word2vec import Word2Vec

__all__ = [
    "AveragedEmbeddingClassifier",
    "GloVe",
    "LanguageModel",
    "LuongAttention",
    "NeuralLanguageModel",
    "Perplexity",
    "RecurrentClassifier",
    "Seq2Seq",
    "Word2Vec",
    "WordsPerSecond",
]

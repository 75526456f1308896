"""Ready-made `keras.Model` classes built from the package's layers."""

from keras_seqlayers.models.language_model import LanguageModel
from keras_seqlayers.models.seq2seq import LuongAttention, Seq2Seq

__all__ = ["LanguageModel", "LuongAttention", "Seq2Seq"]

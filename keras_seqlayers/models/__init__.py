"""Ready-made `keras.Model` classes built from the package's layers."""

from keras_seqlayers.models.language_model import LanguageModel

__all__ = ["LanguageModel"]

"""Ready-made `keras.Model` classes built from the package's layers."""

from keras_seqlayers.models.averaged_classifier import AveragedEmbeddingClassifier
from keras_seqlayers.models.recurrent_classifier import RecurrentClassifier

__all__ = ["AveragedEmbeddingClassifier", "RecurrentClassifier"]

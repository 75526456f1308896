"""Ready-made keras.Model classes built from the package's layers."""

from keras_seqlayers.models.glove import GloVe

__all__ = ["GloVe"]

"""Losses of the package: GloVe's weighted least squares."""

from keras_seqlayers.losses.glove import GloVeLoss

__all__ = ["GloVeLoss"]

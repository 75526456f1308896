"""Keras layers: the recurrent family and the word-embedding family."""

from keras_seqlayers.layers.embedding import Debias
from keras_seqlayers.layers.recurrent import (
    GRU,
    LSTM,
    GRUCell,
    LSTMCell,
    SimpleRNN,
    SimpleRNNCell,
)

__all__ = [
    "GRU",
    "LSTM",
    "Debias",
    "GRUCell",
    "LSTMCell",
    "SimpleRNN",
    "SimpleRNNCell",
]

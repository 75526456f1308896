"""Keras layers: the recurrent family and the word-embedding family."""

from keras_seqlayers.layers.embedding import GloVe
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
    "GRUCell",
    "GloVe",
    "LSTMCell",
    "SimpleRNN",
    "SimpleRNNCell",
]

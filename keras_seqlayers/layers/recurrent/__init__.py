"""Recurrent cells and layers on one scan engine, wrappers, Keras converters."""

from keras_seqlayers.layers.recurrent.bidirectional import Bidirectional
from keras_seqlayers.layers.recurrent.convert import (
    convert_weights,
    from_keras,
    to_keras,
)
from keras_seqlayers.layers.recurrent.deep import DeepRNN
from keras_seqlayers.layers.recurrent.gru import GRU, GRUCell
from keras_seqlayers.layers.recurrent.lstm import LSTM, LSTMCell
from keras_seqlayers.layers.recurrent.simple_rnn import SimpleRNN, SimpleRNNCell

__all__ = [
    "GRU",
    "LSTM",
    "Bidirectional",
    "DeepRNN",
    "GRUCell",
    "LSTMCell",
    "SimpleRNN",
    "SimpleRNNCell",
    "convert_weights",
    "from_keras",
    "to_keras",
]

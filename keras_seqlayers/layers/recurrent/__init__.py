"""Recurrent cells and layers, all driven by one scan engine, and wrappers."""

from keras_seqlayers.layers.recurrent.bidirectional import Bidirectional
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
]

"""Keras layers: the recurrent family and the word-embedding family."""

from keras_seqlayers.layers.embedding import (
    Debias,
    GloVe,
    HierarchicalSoftmax,
    NegativeSampling,
    SkipGram,
)
from keras_seqlayers.layers.recurrent import (
    GRU,
    LSTM,
    Bidirectional,
    DeepRNN,
    GRUCell,
    LSTMCell,
    SimpleRNN,
    SimpleRNNCell,
    convert_weights,
    from_keras,
    to_keras,
)

__all__ = [
    "GRU",
    "LSTM",
    "Bidirectional",
    "Debias",
    "DeepRNN",
    "GRUCell",
    "GloVe",
    "HierarchicalSoftmax",
    "LSTMCell",
    "NegativeSampling",
    "SimpleRNN",
    "SimpleRNNCell",
    "SkipGram",
    "convert_weights",
    "from_keras",
    "to_keras",
]

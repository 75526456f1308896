"""Text input pipelines (TensorFlow and tensorflow-text only)."""

from keras_seqlayers.text.cooccurrence import CooccurrenceMatrix, cooccurrence
from keras_seqlayers.text.tokenization import Tokenizer, tokenize
from keras_seqlayers.text.vocabulary import EOS, PAD, UNK, Vocabulary

__all__ = [
    "EOS",
    "PAD",
    "UNK",
    "CooccurrenceMatrix",
    "Tokenizer",
    "Vocabulary",
    "cooccurrence",
    "tokenize",
]

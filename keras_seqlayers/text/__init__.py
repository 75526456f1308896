"""Text input pipelines (TensorFlow and tensorflow-text only)."""

from keras_seqlayers.text.skipgram import (
    expected_skipgram_pairs,
    keep_probabilities,
    skipgram_dataset,
    skipgram_pairs,
)
from keras_seqlayers.text.tokenization import Tokenizer, tokenize
from keras_seqlayers.text.vocabulary import EOS, PAD, UNK, Vocabulary

__all__ = [
    "EOS",
    "PAD",
    "UNK",
    "Tokenizer",
    "Vocabulary",
    "expected_skipgram_pairs",
    "keep_probabilities",
    "skipgram_dataset",
    "skipgram_pairs",
    "tokenize",
]

"""Text input pipelines (TensorFlow and tensorflow-text only).

Built with `tf.data`, TensorFlow and tensorflow-text, which must be
installed whatever Keras's backend. The datasets they return feed
`Model.fit` under any backend (Keras reads `tf.data` under JAX too); the
in-graph pieces meant for SavedModels (`Vocabulary.table`, tokenizers) are
TensorFlow objects.
"""

from keras_seqlayers.text.cooccurrence import CooccurrenceMatrix, cooccurrence
from keras_seqlayers.text.corpus import LineCorpus, is_corpus_path
from keras_seqlayers.text.ngrams import ngram_windows
from keras_seqlayers.text.skipgram import (
    expected_skipgram_pairs,
    keep_probabilities,
    skipgram_dataset,
    skipgram_pairs,
)
from keras_seqlayers.text.tokenization import Tokenizer, tokenize
from keras_seqlayers.text.vocabulary import Vocabulary
from keras_seqlayers.tokens import EOS, PAD, UNK

__all__ = [
    "EOS",
    "PAD",
    "UNK",
    "CooccurrenceMatrix",
    "LineCorpus",
    "Tokenizer",
    "Vocabulary",
    "cooccurrence",
    "expected_skipgram_pairs",
    "is_corpus_path",
    "keep_probabilities",
    "ngram_windows",
    "skipgram_dataset",
    "skipgram_pairs",
    "tokenize",
]

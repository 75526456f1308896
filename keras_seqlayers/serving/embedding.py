"""`embedding_model`: trained word vectors as a servable lookup model.

Export the model with `export(..., vocabulary=...)` and TF Serving clients
send text and receive one vector per token.
"""

import keras
import numpy as np

from keras_seqlayers.embeddings import WordVectors
from keras_seqlayers.serving.text import check_vocabulary
from keras_seqlayers.text import Vocabulary


def embedding_model(vectors, vocabulary=None, name="embedding_lookup"):
    """A servable lookup model for trained word vectors.

    Maps token ids `(batch, time)` of `vocabulary` to their vectors
    `(batch, time, dim)` (output `vectors`); reserved tokens and words
    without a vector get zeros. Export it with `export(...,
    vocabulary=vocabulary)` and clients send text and receive vectors.

    Args:
        vectors: a `keras_seqlayers.embeddings.WordVectors` (e.g.
            `word2vec.vectors` or `glove.vectors`).
        vocabulary: the `keras_seqlayers.text.Vocabulary` whose ids the model
            reads; default one with the words of `vectors` in their order.
        name: the model's name.

    Returns:
        `(model, vocabulary)`.

    Example:

    >>> import numpy as np
    >>> from keras_seqlayers.embeddings import WordVectors
    >>> model, vocab = embedding_model(WordVectors(["a", "b"], np.eye(2)))
    >>> np.asarray(model(np.array([vocab.encode(["b a zzz"])[0]]))).tolist()
    [[[0.0, 1.0], [1.0, 0.0], [0.0, 0.0]]]
    """
    if not isinstance(vectors, WordVectors):
        raise TypeError(
            "`vectors` must be a `keras_seqlayers.embeddings.WordVectors`; "
            f"received {type(vectors).__name__}."
        )
    if vocabulary is None:
        vocabulary = Vocabulary(vectors.words)
    else:
        check_vocabulary(vocabulary)
    table = np.zeros((len(vocabulary), vectors.vector_size), "float32")
    for i, word in enumerate(vocabulary.words):
        if i >= vocabulary.num_reserved and word in vectors:
            table[i] = vectors.vectors[vectors.index(word)]
    tokens = keras.Input((None,), dtype="int32", name="tokens")
    lookup = keras.layers.Embedding(
        len(vocabulary),
        vectors.vector_size,
        embeddings_initializer=keras.initializers.Constant(table),
        trainable=False,
        name="vectors",
    )
    return keras.Model(tokens, lookup(tokens), name=name), vocabulary

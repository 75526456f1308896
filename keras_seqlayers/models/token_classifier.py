"""What the text classifiers share: argument checks, pretrained vectors and an
integer serving signature."""

import keras
import numpy as np


def pretrained_matrix(vectors, vocabulary=None, seed=0):
    """An embedding matrix whose row `i` is the vector of token id `i`.

    Args:
        vectors: a `(vocab_size, dim)` array already in token-id order,
            or a `keras_seqlayers.embeddings.WordVectors` (then `vocabulary`
            is required).
        vocabulary: a `keras_seqlayers.text.Vocabulary` giving the token ids.
            Its words missing from `vectors` get small random vectors (normal,
            scale 0.1 times the mean vector norm, seeded); `<PAD>` gets zeros.
        seed: seed of those random rows.

    Returns:
        `(matrix, found)`: a float32 NumPy matrix and the number of
        vocabulary words found in `vectors` (all rows when `vectors` is an
        array).
    """
    if hasattr(vectors, "key_to_index"):
        if vocabulary is None:
            raise ValueError(
                "`vocabulary` is required when `vectors` is a WordVectors "
                "table (it gives each word's token id); received vocabulary=None."
            )
        table = np.asarray(vectors.vectors, "float32")
        scale = 0.1 * float(np.mean(np.linalg.norm(table, axis=1)))
        rng = np.random.default_rng(seed)
        words = vocabulary.words
        matrix = rng.normal(
            scale=scale / np.sqrt(table.shape[1]), size=(len(words), table.shape[1])
        )
        found = 0
        for i, word in enumerate(words):
            if word in vectors:
                matrix[i] = table[vectors.index(word)]
                found += 1
        matrix[vocabulary.pad_id] = 0.0
        return matrix.astype("float32"), found
    if vocabulary is not None:
        raise ValueError(
            "`vocabulary` applies only to a WordVectors table; `vectors` is an "
            "array already in token-id order, so pass vocabulary=None; received "
            f"vocabulary={vocabulary!r}."
        )
    matrix = np.asarray(vectors, "float32")
    if matrix.ndim != 2:
        raise ValueError(
            "`vectors` must be a (vocab_size, dim) matrix or a WordVectors "
            f"table; received an array of shape {matrix.shape}."
        )
    return matrix, matrix.shape[0]


class TokenClassifier(keras.Model):
    """Base of the models that read padded batches of integer token ids.

    Token id 0 is padding (`keras_seqlayers.text.Vocabulary.pad_id`).
    Subclasses create `self.embedding` (a `keras.layers.Embedding`).
    """

    def export(
        self,
        filepath,
        format="tf_saved_model",
        verbose=None,
        input_signature=None,
        **kwargs,
    ):
        """`keras.Model.export` with an int32 `(batch, time)` input by default.

        Keras infers float inputs for subclassed models; these models take
        token ids, so the default signature here is integer.
        """
        if input_signature is None:
            # Named: a SavedModel signature with an unnamed spec cannot be
            # re-traced from its own structured_input_signature after loading.
            input_signature = [
                keras.InputSpec(shape=(None, None), dtype="int32", name="token_ids")
            ]
        return super().export(
            filepath,
            format=format,
            verbose=verbose,
            input_signature=input_signature,
            **kwargs,
        )

    @classmethod
    def from_pretrained(
        cls, vectors, num_classes, vocabulary=None, trainable_embeddings=False, **kwargs
    ):
        """A model whose embedding starts from pretrained word vectors.

        Args:
            vectors: a `(vocab_size, dim)` array in token-id order, or a
                `keras_seqlayers.embeddings.WordVectors` together with
                `vocabulary`.
            num_classes: number of classes.
            vocabulary: the `keras_seqlayers.text.Vocabulary` that maps words
                to token ids, when `vectors` is a `WordVectors`.
            trainable_embeddings: `False` (default) keeps the vectors frozen;
                `True` fine-tunes them.
            **kwargs: further constructor arguments of the model.

        Returns:
            A built model.
        """
        matrix, _ = pretrained_matrix(vectors, vocabulary)
        model = cls(
            vocab_size=matrix.shape[0],
            embedding_dim=matrix.shape[1],
            num_classes=num_classes,
            trainable_embeddings=trainable_embeddings,
            **kwargs,
        )
        model.build((None, None))
        model.embedding.embeddings.assign(matrix)
        return model

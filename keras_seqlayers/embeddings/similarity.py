"""Word vectors: cosine similarity, nearest neighbours and analogies.

The ranking follows gensim's `KeyedVectors.most_similar`: every vector is
unit-normalised first, the query is the (normalised) sum of the positive
unit vectors minus the negative ones, and the query words are excluded from
the answers. `analogy(a, b, c)` is therefore `argmax_w cos(e_w, e_b - e_a +
e_c)` over unit vectors, excluding `a`, `b` and `c`.
"""

import numpy as np

from keras_seqlayers._words import repeated_words
from keras_seqlayers.checks import check_positive_int, is_integer
from keras_seqlayers.embeddings.word2vec_format import write_word2vec_format


def cosine_similarity(a, b):
    """Cosine similarity along the last axis, broadcasting the others.

    Args:
        a: array of shape `(..., d)`.
        b: array of shape `(..., d)`.

    Returns:
        `sum(a * b, -1) / (|a| |b|)` with the broadcast leading shape.

    Raises:
        ValueError: if the last dimensions differ or a vector has norm 0
            (the cosine is undefined there).

    Example:

    >>> float(cosine_similarity([1.0, 0.0], [1.0, 1.0]))  # doctest: +ELLIPSIS
    0.707...
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape[-1:] != b.shape[-1:]:
        raise ValueError(
            "`a` and `b` must have the same last dimension; received shapes "
            f"{a.shape} and {b.shape}."
        )
    na = np.linalg.norm(a, axis=-1)
    nb = np.linalg.norm(b, axis=-1)
    if np.any(na == 0) or np.any(nb == 0):
        raise ValueError("Cosine similarity is undefined for a zero vector.")
    return np.sum(a * b, axis=-1) / (na * nb)


class WordVectors:
    """A table of word vectors with lookups by word.

    Args:
        words: list of `str`, one per row, no duplicates.
        vectors: array of shape `(len(words), dim)`.

    Example:

    >>> wv = WordVectors(["a", "b", "c"], np.eye(3, dtype="float32"))
    >>> wv["b"].tolist()
    [0.0, 1.0, 0.0]
    """

    def __init__(self, words, vectors):
        words = list(words)
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[0] != len(words):
            raise ValueError(
                "`vectors` must have shape (len(words), dim) = "
                f"({len(words)}, dim); received {vectors.shape}."
            )
        self.words = words
        self.vectors = vectors
        self.key_to_index = {w: i for i, w in enumerate(words)}
        if len(self.key_to_index) != len(words):
            raise ValueError(
                "`words` must be distinct; these appear more than once: "
                f"{repeated_words(words)}."
            )
        self._normed = None

    @property
    def vector_size(self):
        return self.vectors.shape[1]

    def __len__(self):
        return len(self.words)

    def __contains__(self, word):
        return word in self.key_to_index

    def index(self, word):
        """Row of `word`; `KeyError` naming the word if it is absent."""
        try:
            return self.key_to_index[word]
        except KeyError:
            raise KeyError(f"Word {word!r} is not in the vocabulary.") from None

    def __getitem__(self, word):
        return self.vectors[self.index(word)]

    def get_normed_vectors(self):
        """Rows divided by their norms (zero rows stay zero, as in gensim)."""
        if self._normed is None:
            norms = np.linalg.norm(self.vectors, axis=1, keepdims=True)
            self._normed = self.vectors / np.where(norms == 0, 1, norms)
        return self._normed

    def similarity(self, w1, w2):
        """Cosine similarity of two words."""
        return float(cosine_similarity(self[w1], self[w2]))

    def most_similar(self, positive=(), negative=(), topn=10, restrict_vocab=None):
        """See `most_similar`."""
        return most_similar(self, positive, negative, topn, restrict_vocab)

    def analogy(self, a, b, c, topn=None, restrict_vocab=None):
        """See `analogy`."""
        return analogy(self, a, b, c, topn, restrict_vocab)

    def save_word2vec_format(self, path, binary=False):
        """See `keras_seqlayers.embeddings.save_word2vec_format`."""
        write_word2vec_format(path, self.words, self.vectors, binary)

    def __repr__(self):
        return f"WordVectors({len(self)} words, dim={self.vector_size})"


def _as_list(words, name):
    if isinstance(words, str):
        return [words]
    words = list(words)
    for w in words:
        if not isinstance(w, str):
            raise TypeError(f"`{name}` must contain words (str); received {w!r}.")
    return words


def most_similar(vectors, positive=(), negative=(), topn=10, restrict_vocab=None):
    """Nearest words to a combination of words by cosine similarity.

    Args:
        vectors: a `WordVectors`.
        positive: word or words added to the query.
        negative: word or words subtracted from the query.
        topn: how many results (int >= 1).
        restrict_vocab: only search the first `restrict_vocab` rows (the
            most frequent words in a count-sorted table), as gensim does: a
            Python or NumPy int >= 1 (a value above the number of words
            searches them all), or `None` (all rows).

    Returns:
        A list of `(word, cosine)` pairs, best first, without the query
        words.

    Raises:
        TypeError: a query word is not a `str`, `topn` is not an integer,
            or `restrict_vocab` is not an integer or None.
        ValueError: `positive` and `negative` are both empty, `topn < 1`,
            `restrict_vocab < 1`, or the query vector is zero.
        KeyError: a query word is not in `vectors`.

    Example:

    >>> wv = WordVectors(["a", "b", "c"], [[1, 0], [1, 0.1], [0, 1]])
    >>> most_similar(wv, "a", topn=1)[0][0]
    'b'
    """
    positive = _as_list(positive, "positive")
    negative = _as_list(negative, "negative")
    if not positive and not negative:
        raise ValueError("`positive` and `negative` cannot both be empty.")
    topn = check_positive_int("topn", topn)
    if restrict_vocab is not None:
        if not is_integer(restrict_vocab):
            raise TypeError(
                "`restrict_vocab` must be an integer >= 1 or None; received "
                f"restrict_vocab={restrict_vocab!r}."
            )
        if restrict_vocab < 1:
            raise ValueError(
                "`restrict_vocab` must be an integer >= 1 or None; received "
                f"restrict_vocab={restrict_vocab!r}."
            )
    normed = vectors.get_normed_vectors()
    ids = [vectors.index(w) for w in positive + negative]
    weights = np.array([1.0] * len(positive) + [-1.0] * len(negative))
    query = (weights[:, None] * normed[ids]).mean(axis=0)
    norm = np.linalg.norm(query)
    if norm == 0:
        raise ValueError(
            "The query vector (mean of `positive` minus `negative` unit "
            f"vectors) is zero, so cosine is undefined; received "
            f"positive={positive!r}, negative={negative!r}."
        )
    query = query / norm
    # A limit above the number of words searches them all, as in gensim.
    limit = len(vectors) if restrict_vocab is None else int(restrict_vocab)
    scores = normed[:limit] @ query.astype(np.float32)
    excluded = set(ids)
    order = np.argsort(-scores, kind="stable")
    result = []
    for i in order:
        if int(i) in excluded:
            continue
        result.append((vectors.words[i], float(scores[i])))
        if len(result) == topn:
            break
    return result


def analogy(vectors, a, b, c, topn=None, restrict_vocab=None):
    """Solves "a is to b as c is to ?": `argmax_w cos(e_w, e_b - e_a + e_c)`.

    Vectors are unit-normalised first (as gensim does) and `a`, `b`, `c`
    are excluded.

    Args:
        vectors: a `WordVectors`.
        a: the word subtracted (`"man"`).
        b: the word added (`"king"`).
        c: the other word added (`"woman"`).
        topn: `None` returns the best word; an int returns a list of
            `(word, cosine)` pairs.
        restrict_vocab: only search the first `restrict_vocab` rows (an
            int >= 1, or `None` for all), as in `most_similar`.

    Returns:
        The best word, or the top `topn` pairs.

    Raises:
        TypeError: as `most_similar`.
        ValueError: as `most_similar`; also when, with `topn=None`, no word
            but `a`, `b` and `c` is searched.

    Example:

    >>> wv = WordVectors(
    ...     ["man", "king", "woman", "queen"],
    ...     [[1, 0, 1], [1, 1, 1], [-1, 0, 1], [-1, 1, 1]],
    ... )
    >>> analogy(wv, "man", "king", "woman")
    'queen'
    """
    result = most_similar(
        vectors,
        [b, c],
        [a],
        topn=1 if topn is None else topn,
        restrict_vocab=restrict_vocab,
    )
    if topn is None:
        if not result:
            raise ValueError(
                f"No word is left to answer {a!r} : {b!r} :: {c!r} : ?: the "
                "question words are excluded, and no other is searched with "
                f"restrict_vocab={restrict_vocab!r}."
            )
        return result[0][0]
    return result

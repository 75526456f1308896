"""Word vectors: cosine similarity, nearest neighbours and analogies.

The ranking follows gensim's `KeyedVectors.most_similar`: every vector is
unit-normalised first, the query is the (normalised) sum of the positive
unit vectors minus the negative ones, and the query words are excluded from
the answers. `analogy(a, b, c)` is therefore `argmax_w cos(e_w, e_b - e_a +
e_c)` over unit vectors, excluding `a`, `b` and `c`.
"""

import numpy as np

from keras_seqlayers._words import repeated_words
from keras_seqlayers.checks import (
    check_bool,
    check_positive_int,
    is_number,
    is_real_dtype,
)
from keras_seqlayers.embeddings import evaluation
from keras_seqlayers.embeddings.word2vec_format import write_word2vec_format

_QUERY = "a word, a vector or a list of them"


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


def _gensim_keyed_vectors_class():
    try:
        from gensim.models import KeyedVectors
    except ImportError:
        raise ImportError(
            "Converting to or from gensim needs gensim, which keras_seqlayers "
            "does not depend on; install it with `pip install gensim`."
        ) from None
    return KeyedVectors


def _unit(vector, name):
    norm = np.linalg.norm(vector)
    if norm == 0:
        raise ValueError(
            f"`{name}` holds a zero vector, whose cosine with any word is undefined."
        )
    return vector / norm


class WordVectors:
    """A table of word vectors with lookups by word, answering as gensim does.

    Coming from gensim: these `KeyedVectors` calls exist here with gensim's
    argument names, semantics and return shapes: `most_similar` (words,
    vectors and `(word or vector, weight)` pairs in `positive`/`negative`,
    `topn=None` for every score), `most_similar_cosmul`, `similar_by_word`,
    `similar_by_vector`, `similarity`, `n_similarity`, `distance`,
    `distances`, `rank`, `doesnt_match`, `get_vector(key, norm=False)`,
    `get_index`, `get_normed_vectors`, `key_to_index`, `index_to_key`,
    `vectors`, `vector_size`, `len(wv)`, `word in wv`, `wv[word]`,
    `wv[[word, ...]]`, `save_word2vec_format`, `evaluate_word_pairs` and
    `evaluate_word_analogies`. `WordVectors.from_gensim(kv)` and
    `wv.to_gensim()` convert both ways (gensim is needed for those two only).

    What differs on purpose:

    - Keys are words (`str`): an integer is not read as a row number (use
      `wv.vectors[i]`), so `wv.most_similar(123)` is a `TypeError`.
    - An unknown word is a `KeyError` everywhere (gensim's `n_similarity`
      and `doesnt_match` skip it silently); empty input is a `ValueError`
      (gensim's `n_similarity` raises `ZeroDivisionError`).
    - `topn` and `restrict_vocab` are `None` or integers >= 1 (gensim returns
      `[]` for `topn=0` and ignores `restrict_vocab=0`), and a query whose
      vector is zero is a `ValueError` (gensim scores every word 0).
    - A word whose vector is all zeros scores 0 against any query (gensim:
      NaN).
    - `most_similar_cosmul` honours `restrict_vocab` (gensim 4.4 ignores it)
      and unit-normalises a vector in the query (gensim uses it as given,
      which is a cosine only for unit vectors).
    - Equal scores rank the lower row first.
    - `similarity`, `n_similarity` and `distance` return Python floats.
    - `evaluate_word_pairs` and `evaluate_word_analogies` return gensim's
      `((pearson, p), (spearman, p), oov_ratio)` and `(score, sections)`;
      they read UTF-8 only (no `encoding`) and offer no
      `similarity_function`, and `evaluate_word_analogies` takes
      `return_oov_ratio=True` to also return the OOV percentage that
      gensim only logs.
    - `save_word2vec_format(path, binary)` writes the rows in table order;
      gensim's `fvocab`, `prefix`, `append`, `write_header`, `total_vec` and
      `sort_attr` are not offered.
    - Not offered: adding or replacing vectors (`add_vector(s)`), `save`/
      `load` (use the word2vec format or `to_gensim()`), `wmdistance`,
      `closer_than`, `rank_by_centrality`, `get_mean_vector`.

    Args:
        words: list of `str`, one per row, no duplicates.
        vectors: array of shape `(len(words), dim)`.

    Example:

    >>> wv = WordVectors(["a", "b", "c"], np.eye(3, dtype="float32"))
    >>> wv["b"].tolist()
    [0.0, 1.0, 0.0]
    >>> wv[["a", "c"]].shape
    (2, 3)
    >>> wv.index_to_key, wv.key_to_index["c"], "d" in wv
    (['a', 'b', 'c'], 2, False)
    """

    def __init__(self, words, vectors):
        self.words = list(words)
        self.vectors = vectors
        self.key_to_index = {w: i for i, w in enumerate(self.words)}
        if len(self.key_to_index) != len(self.words):
            raise ValueError(
                "`words` must be distinct; these appear more than once: "
                f"{repeated_words(self.words)}."
            )

    @property
    def vectors(self):
        """The `(len(words), dim)` float32 table; assign a new one to change it."""
        return self._vectors

    @vectors.setter
    def vectors(self, vectors):
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[0] != len(self.words):
            raise ValueError(
                "`vectors` must have shape (len(words), dim) = "
                f"({len(self.words)}, dim); received {vectors.shape}."
            )
        self._vectors = vectors
        self._normed = None

    @property
    def vector_size(self):
        return self.vectors.shape[1]

    @property
    def index_to_key(self):
        """The words in row order (gensim's name for `words`)."""
        return self.words

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

    def get_index(self, key, default=None):
        """Row of `key`, else `default` when given, else a `KeyError`.

        Example:

        >>> wv = WordVectors(["a", "b"], np.eye(2))
        >>> wv.get_index("b"), wv.get_index("z", default=-1)
        (1, -1)
        """
        row = self.key_to_index.get(key, default)
        return self.index(key) if row is None else row

    def get_vector(self, key, norm=False):
        """The vector of `key`, divided by its norm when `norm` is True.

        Example:

        >>> wv = WordVectors(["a"], [[3.0, 4.0]])
        >>> wv.get_vector("a", norm=True).tolist()  # doctest: +ELLIPSIS
        [0.6..., 0.8...]
        """
        norm = check_bool("norm", norm)
        table = self.get_normed_vectors() if norm else self.vectors
        return table[self.index(key)]

    def __getitem__(self, key):
        if isinstance(key, str):
            return self.get_vector(key)
        if isinstance(key, (list, tuple)) and all(isinstance(k, str) for k in key):
            return self.vectors[[self.index(k) for k in key]]
        raise TypeError(
            "A WordVectors is indexed by a word or a list of words (use "
            f"`.vectors[i]` for row i); received {key!r}."
        )

    def get_normed_vectors(self):
        """Rows divided by their norms (zero rows stay zero), read-only."""
        if self._normed is None:
            norms = np.linalg.norm(self.vectors, axis=1, keepdims=True)
            self._normed = self.vectors / np.where(norms == 0, 1, norms)
            # Cached across queries: a write into it would corrupt them all.
            self._normed.setflags(write=False)
        return self._normed

    def _as_vector(self, value, name):
        """`value` as a float32 vector of length `vector_size`."""
        array = np.asarray(value)
        if not is_real_dtype(array.dtype):
            raise TypeError(
                f"`{name}` must be a vector of numbers; received dtype {array.dtype}."
            )
        if array.shape != (self.vector_size,):
            raise ValueError(
                f"`{name}` must be a vector of shape ({self.vector_size},); "
                f"received shape {array.shape}."
            )
        return array.astype(np.float32)

    def _words(self, words, name):
        """`words` as a list of known words (`KeyError` for an unknown one)."""
        if isinstance(words, str):
            raise TypeError(f"`{name}` must be a list of words, not a str: {words!r}.")
        try:
            words = list(words)
        except TypeError:
            raise TypeError(
                f"`{name}` must be a list of words; received {words!r}."
            ) from None
        for word in words:
            if not isinstance(word, str):
                raise TypeError(
                    f"`{name}` must hold words (str); received {word!r} in {words!r}."
                )
            self.index(word)
        return words

    def _query(self, value, name, weight, weighted):
        """`positive`/`negative` as checked `(word or vector, weight)` pairs."""
        if value is None:
            return []
        if isinstance(value, str) or (
            isinstance(value, np.ndarray) and value.ndim == 1
        ):
            value = [value]
        try:
            items = list(value)
        except TypeError:
            raise TypeError(f"`{name}` must be {_QUERY}; received {value!r}.") from None
        terms = []
        for item in items:
            w = weight
            if (
                weighted
                and isinstance(item, tuple)
                and len(item) == 2
                and is_number(item[1])
            ):
                item, w = item[0], float(item[1])
            if isinstance(item, str):
                self.index(item)
            elif isinstance(item, np.ndarray):
                item = self._as_vector(item, name)
            else:
                pairs = " or of (word or vector, weight) pairs" if weighted else ""
                raise TypeError(
                    f"`{name}` must be {_QUERY}{pairs}; received {item!r} in {value!r}."
                )
            terms.append((item, w))
        return terms

    def _top(self, scores, topn, excluded):
        """The best `topn` rows of `scores` but `excluded`, best first."""
        if topn is None:
            return scores
        k = min(topn + len(excluded), len(scores))
        candidates = (
            np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(k)
        )
        order = candidates[np.lexsort((candidates, -scores[candidates]))]
        excluded = set(excluded)
        best = [(self.words[i], float(scores[i])) for i in order if i not in excluded]
        return best[:topn]

    def most_similar(self, positive=None, negative=None, topn=10, restrict_vocab=None):
        """Nearest words to a combination of words and vectors, by cosine.

        The query is gensim's: the weighted sum of the positive terms minus
        the negative ones, where a word counts as its unit vector and a
        vector as given, then unit-normalised. The query words are never
        answers.

        Args:
            positive: a word, a 1-D vector, or a list of words, vectors and
                `(word or vector, weight)` pairs (weight 1 by default).
            negative: the same, subtracted (weight -1 by default; a pair's
                weight is used as given, as in gensim).
            topn: how many answers (an int >= 1), or `None` for the score of
                every searched word (an array, query words included).
            restrict_vocab: only search the first `restrict_vocab` rows (an
                int >= 1; above the number of words searches them all), or
                `None` for all.

        Returns:
            A list of `(word, cosine)` pairs, best first, or with
            `topn=None` an array of cosines in row order.

        Raises:
            TypeError: a term is not a word, a numeric vector or a
                `(term, number)` pair; `topn` or `restrict_vocab` is not an
                integer or None.
            ValueError: `positive` and `negative` are both empty, a vector
                has the wrong length, `topn` or `restrict_vocab` is < 1, or
                the query vector is zero.
            KeyError: a query word is not in the table.

        Example:

        >>> wv = WordVectors(["a", "b", "c"], [[1, 0], [1, 0.1], [0, 1]])
        >>> wv.most_similar("a", topn=1)  # doctest: +ELLIPSIS
        [('b', 0.995...)]
        >>> wv.most_similar(positive=[np.array([0.0, 1.0])], topn=1)
        [('c', 1.0)]
        """
        terms = self._query(positive, "positive", 1.0, True)
        terms += self._query(negative, "negative", -1.0, True)
        if not terms:
            raise ValueError("`positive` and `negative` cannot both be empty.")
        topn = check_positive_int("topn", topn, allow_none=True)
        limit = check_positive_int("restrict_vocab", restrict_vocab, allow_none=True)
        normed = self.get_normed_vectors()
        rows = [normed[self.index(t)] if isinstance(t, str) else t for t, _ in terms]
        query = np.array([w for _, w in terms]) @ np.stack(rows).astype(np.float64)
        norm = np.linalg.norm(query)
        if norm == 0:
            raise ValueError(
                "The query vector (weighted sum of `positive` and `negative`) "
                f"is zero, so cosine is undefined; received positive={positive!r}, "
                f"negative={negative!r}."
            )
        scores = normed[:limit] @ (query / norm).astype(np.float32)
        excluded = [self.index(t) for t, _ in terms if isinstance(t, str)]
        return self._top(scores, topn, excluded)

    def most_similar_cosmul(
        self, positive=None, negative=None, topn=10, restrict_vocab=None
    ):
        """Nearest words by 3CosMul (Levy and Goldberg 2014), as gensim.

        Each word `w` scores `prod_p c(w, p) / (prod_n c(w, n) + 1e-6)` with
        `c(w, x) = (1 + cos(w, x)) / 2`; the query words are never answers.

        Args:
            positive: a word, a vector or a list of them (at least one).
            negative: the same, in the denominator.
            topn: as in `most_similar`.
            restrict_vocab: as in `most_similar`.

        Returns:
            A list of `(word, score)` pairs, best first, or with `topn=None`
            an array of scores in row order.

        Raises:
            TypeError, KeyError: as `most_similar`.
            ValueError: `positive` is empty, a vector has the wrong length
                or is zero, or `topn` or `restrict_vocab` is < 1.

        Reference:
            Levy and Goldberg, "Linguistic Regularities in Sparse and
            Explicit Word Representations", CoNLL 2014.

        Example:

        >>> wv = WordVectors(
        ...     ["man", "king", "woman", "queen"],
        ...     [[1, 0, 1], [1, 1, 1], [-1, 0, 1], [-1, 1, 1]],
        ... )
        >>> wv.most_similar_cosmul(["king", "woman"], ["man"], topn=1)[0][0]
        'queen'
        """
        positive = self._query(positive, "positive", 1.0, False)
        negative = self._query(negative, "negative", 1.0, False)
        if not positive:
            raise ValueError("`positive` must hold at least one word or vector.")
        topn = check_positive_int("topn", topn, allow_none=True)
        limit = check_positive_int("restrict_vocab", restrict_vocab, allow_none=True)
        normed = self.get_normed_vectors()
        terms = [
            normed[self.index(t)] if isinstance(t, str) else _unit(t, name)
            for name, part in (("positive", positive), ("negative", negative))
            for t, _ in part
        ]
        shifted = (1 + normed[:limit] @ np.stack(terms).T) / 2
        scores = np.prod(shifted[:, : len(positive)], axis=1) / (
            np.prod(shifted[:, len(positive) :], axis=1) + np.float32(1e-6)
        )
        excluded = [self.index(t) for t, _ in positive + negative if isinstance(t, str)]
        return self._top(scores, topn, excluded)

    def similar_by_word(self, word, topn=10, restrict_vocab=None):
        """`most_similar(positive=[word], ...)` for one word."""
        if not isinstance(word, str):
            raise TypeError(f"`word` must be a str; received {word!r}.")
        return self.most_similar([word], topn=topn, restrict_vocab=restrict_vocab)

    def similar_by_vector(self, vector, topn=10, restrict_vocab=None):
        """Nearest words to a vector (no word is excluded).

        Example:

        >>> wv = WordVectors(["a", "b"], [[1, 0], [0, 1]])
        >>> wv.similar_by_vector([0.1, 1.0], topn=1)  # doctest: +ELLIPSIS
        [('b', 0.99...)]
        """
        vector = self._as_vector(vector, "vector")
        return self.most_similar([vector], topn=topn, restrict_vocab=restrict_vocab)

    def similarity(self, w1, w2):
        """Cosine similarity of two words.

        Example:

        >>> wv = WordVectors(["a", "b"], [[1, 0], [1, 1]])
        >>> round(wv.similarity("a", "b"), 4), round(wv.distance("a", "b"), 4)
        (0.7071, 0.2929)
        """
        return float(cosine_similarity(self[w1], self[w2]))

    def distance(self, w1, w2):
        """Cosine distance `1 - similarity(w1, w2)` of two words."""
        return 1.0 - self.similarity(w1, w2)

    def distances(self, word_or_vector, other_words=()):
        """Cosine distances from a word or vector to `other_words` (or all).

        Args:
            word_or_vector: a word or a vector of length `vector_size`.
            other_words: words to measure to; empty measures to every row
                in order (the word itself included).

        Returns:
            A float32 array of `1 - cosine`, one per word.

        Example:

        >>> wv = WordVectors(["a", "b"], [[1, 0], [0, 1]])
        >>> wv.distances("a").tolist()
        [0.0, 1.0]
        """
        if isinstance(word_or_vector, str):
            query = self.get_vector(word_or_vector, norm=True)
        else:
            vector = self._as_vector(word_or_vector, "word_or_vector")
            query = _unit(vector, "word_or_vector")
        normed = self.get_normed_vectors()
        other_words = self._words(other_words or (), "other_words")
        if other_words:
            normed = normed[[self.index(w) for w in other_words]]
        return 1 - normed @ query

    def n_similarity(self, ws1, ws2):
        """Cosine similarity of the means of two lists of word vectors.

        Example:

        >>> wv = WordVectors(["a", "b", "c"], [[1, 0], [0, 1], [1, 1]])
        >>> round(wv.n_similarity(["a", "b"], ["c"]), 6)
        1.0
        """
        means = []
        for name, words in (("ws1", ws1), ("ws2", ws2)):
            words = self._words(words, name)
            if not words:
                raise ValueError(f"`{name}` must hold at least one word.")
            means.append(self[words].mean(axis=0))
        return float(cosine_similarity(*means))

    def rank(self, key1, key2):
        """1 + the number of words other than `key1` closer to it than `key2`.

        Example:

        >>> wv = WordVectors(["a", "b", "c"], [[1, 0], [0, 1], [1, 0.5]])
        >>> wv.rank("a", "c"), wv.rank("a", "b")
        (1, 2)
        """
        distances = self.distances(key1)
        closer = distances < distances[self.index(key2)]
        closer[self.index(key1)] = False
        return int(np.count_nonzero(closer)) + 1

    def doesnt_match(self, words):
        """The word of `words` farthest from the mean of their unit vectors.

        Example:

        >>> wv = WordVectors(["a", "b", "c"], [[1, 0], [1, 0.1], [0, 1]])
        >>> wv.doesnt_match(["a", "b", "c"])
        'c'
        """
        words = self._words(words, "words")
        if not words:
            raise ValueError("`words` must hold at least one word.")
        rows = self.get_normed_vectors()[[self.index(w) for w in words]]
        mean = rows.mean(axis=0)
        return words[int(np.argmin(rows @ mean))]

    def analogy(self, a, b, c, topn=None, restrict_vocab=None):
        """See `analogy`."""
        return analogy(self, a, b, c, topn, restrict_vocab)

    def save_word2vec_format(self, path, binary=False):
        """See `keras_seqlayers.embeddings.save_word2vec_format`."""
        write_word2vec_format(path, self.words, self.vectors, binary)

    def evaluate_word_pairs(
        self,
        pairs,
        delimiter="\t",
        restrict_vocab=300000,
        case_insensitive=True,
        dummy4unknown=False,
    ):
        """See `keras_seqlayers.embeddings.evaluate_word_pairs`."""
        return evaluation.evaluate_word_pairs(
            self, pairs, delimiter, restrict_vocab, case_insensitive, dummy4unknown
        )

    def evaluate_word_analogies(
        self,
        analogies,
        restrict_vocab=300000,
        case_insensitive=True,
        dummy4unknown=False,
        return_oov_ratio=False,
    ):
        """See `keras_seqlayers.embeddings.evaluate_word_analogies`."""
        return evaluation.evaluate_word_analogies(
            self,
            analogies,
            restrict_vocab,
            case_insensitive,
            dummy4unknown,
            return_oov_ratio,
        )

    @classmethod
    def from_gensim(cls, keyed_vectors):
        """A `WordVectors` copied from a gensim `KeyedVectors` (needs gensim).

        Args:
            keyed_vectors: a `gensim.models.KeyedVectors` whose keys are
                words (`str`), e.g. `Word2Vec(...).wv`.

        Raises:
            ImportError: gensim is not installed.
            TypeError: `keyed_vectors` is not a `KeyedVectors`, or a key is
                not a `str`.

        Example:

        >>> from gensim.models import KeyedVectors
        >>> kv = KeyedVectors(vector_size=2)
        >>> kv.add_vectors(["a", "b"], np.eye(2))
        >>> WordVectors.from_gensim(kv)
        WordVectors(2 words, dim=2)
        """
        if not isinstance(keyed_vectors, _gensim_keyed_vectors_class()):
            raise TypeError(
                "`keyed_vectors` must be a gensim KeyedVectors; received "
                f"{type(keyed_vectors).__name__}."
            )
        keys = list(keyed_vectors.index_to_key)
        not_words = [k for k in keys if not isinstance(k, str)]
        if not_words:
            raise TypeError(
                "`keyed_vectors` must have words (str) as keys; received "
                f"{len(not_words)} others, first {not_words[0]!r}."
            )
        return cls(keys, np.array(keyed_vectors.vectors, dtype=np.float32))

    def to_gensim(self):
        """A gensim `KeyedVectors` with these words and vectors (needs gensim).

        Raises:
            ImportError: gensim is not installed.

        Example:

        >>> kv = WordVectors(["a", "b"], np.eye(2)).to_gensim()
        >>> kv.index_to_key, kv["b"].tolist()
        (['a', 'b'], [0.0, 1.0])
        """
        keyed_vectors = _gensim_keyed_vectors_class()(self.vector_size)
        keyed_vectors.add_vectors(self.words, self.vectors.copy())
        return keyed_vectors

    def __repr__(self):
        return f"WordVectors({len(self)} words, dim={self.vector_size})"


def most_similar(vectors, positive=(), negative=(), topn=10, restrict_vocab=None):
    """Nearest words to a combination of words by cosine similarity.

    The same as `vectors.most_similar(...)` (see `WordVectors.most_similar`).

    Args:
        vectors: a `WordVectors`.
        positive: word, vector or list of them added to the query.
        negative: word, vector or list of them subtracted from the query.
        topn: how many results (int >= 1), or `None` for every score.
        restrict_vocab: only search the first `restrict_vocab` rows (the
            most frequent words in a count-sorted table), as gensim does: a
            Python or NumPy int >= 1 (a value above the number of words
            searches them all), or `None` (all rows).

    Returns:
        A list of `(word, cosine)` pairs, best first, without the query
        words.

    Raises:
        TypeError: a query term is neither a `str` nor a vector, `topn` is
            not an integer, or `restrict_vocab` is not an integer or None.
        ValueError: `positive` and `negative` are both empty, `topn < 1`,
            `restrict_vocab < 1`, or the query vector is zero.
        KeyError: a query word is not in `vectors`.

    Example:

    >>> wv = WordVectors(["a", "b", "c"], [[1, 0], [1, 0.1], [0, 1]])
    >>> most_similar(wv, "a", topn=1)[0][0]
    'b'
    """
    return vectors.most_similar(positive, negative, topn, restrict_vocab)


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
    for name, word in (("a", a), ("b", b), ("c", c)):
        if not isinstance(word, str):
            raise TypeError(f"`{name}` must be a word (str); received {word!r}.")
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

"""A word vocabulary with counts, reserved tokens and in-graph lookups."""

import collections
import collections.abc
import itertools
import json
import os
import re

import keras
import numpy as np
import tensorflow as tf

from keras_seqlayers._words import repeated_words
from keras_seqlayers.checks import check_bool, check_positive_int, is_integer
from keras_seqlayers.text.corpus import (
    STREAM_BATCH_LINES,
    LineCorpus,
    count_tokens,
    is_corpus_path,
)
from keras_seqlayers.text.tokenization import Tokenizer, check_tokenizer
from keras_seqlayers.tokens import (
    EOS_ID,
    NUM_RESERVED,
    PAD,
    PAD_ID,
    RESERVED,
    UNK,
    UNK_ID,
)

# First line of a vocabulary file that records its tokenizer (see `save`).
TOKENIZER_HEADER = "#tokenizer "


def check_words(words, argument="words"):
    """`words` as a list, if it holds tokens a `Vocabulary` can number.

    Each word must be a `str`, non-empty, without whitespace (so it also fits
    the `token count` vocabulary file and the word2vec text format), not a
    reserved token (they are added with ids 0-2) and not repeated.

    Args:
        words: an iterable of words (not a single string).
        argument: the argument name the error messages give.

    Returns:
        A new list of the words.

    Raises:
        TypeError: `words` is a single string, or a word is not a `str`.
        ValueError: a word is empty, holds whitespace or is reserved, or a
            word appears more than once.
    """
    if isinstance(words, (str, bytes)):
        raise TypeError(
            f"`{argument}` must be a list of strings, not a single "
            f"{type(words).__name__}; received {argument}={words!r}."
        )
    words = list(words)
    for i, word in enumerate(words):
        if not isinstance(word, str):
            raise TypeError(
                f"Vocabulary tokens must be strings; received {word!r} of type "
                f"{type(word).__name__} in `{argument}` at index {i}."
            )
        if not word or any(c.isspace() for c in word):
            raise ValueError(
                "Vocabulary tokens must be non-empty and contain no whitespace; "
                f"received {word!r} in `{argument}` at index {i}."
            )
        if word in RESERVED:
            raise ValueError(
                f"`{argument}` must not contain the reserved token {word!r} "
                f"(index {i}); the reserved tokens {RESERVED} take ids 0-2 and "
                "are added automatically."
            )
    if len(set(words)) != len(words):
        raise ValueError(
            f"`{argument}` contains duplicates: {repeated_words(words)[:10]}; "
            "each word must appear once."
        )
    return words


def is_text_dataset(dataset):
    """Whether the elements of a `tf.data.Dataset` hold strings anywhere."""
    specs = tf.nest.flatten(dataset.element_spec)
    return any(getattr(spec, "dtype", None) == tf.string for spec in specs)


def is_corpus_dataset(dataset):
    """Whether a `tf.data.Dataset` is a corpus `Vocabulary.build` reads.

    That is: its elements are scalar strings (documents) or 1-D string
    tensors (token lists).
    """
    spec = dataset.element_spec
    return (
        isinstance(spec, tf.TensorSpec)
        and spec.dtype == tf.string
        and spec.shape.rank in (0, 1)
    )


def _line_corpus(corpus, tokenizer):
    """`corpus` as a `LineCorpus` and the tokenizer to read it with, or
    `(None, tokenizer)` for a corpus that does not name files."""
    if is_corpus_path(corpus):
        corpus = LineCorpus(corpus)
    if isinstance(corpus, LineCorpus):
        return corpus, corpus.resolve_tokenizer(tokenizer)
    return None, tokenizer


def _check_corpus_dataset(dataset):
    """Raises a `TypeError` unless `dataset` yields scalar or 1-D strings."""
    spec = dataset.element_spec
    if not isinstance(spec, tf.TensorSpec) or spec.dtype != tf.string:
        raise TypeError(
            "A `tf.data.Dataset` corpus must yield string tensors (a "
            "scalar document or a 1-D tensor of tokens); received "
            f"element_spec={spec}."
        )
    if spec.shape.rank not in (0, 1):
        raise TypeError(
            "A `tf.data.Dataset` corpus must yield scalar or 1-D string "
            f"tensors; received element_spec={spec}."
        )


def _token_batches(dataset, tokenizer, batch_size):
    """A corpus dataset (checked) as batches of token rows, ragged or dense."""
    _check_corpus_dataset(dataset)
    if dataset.element_spec.shape.rank == 0:
        return dataset.batch(batch_size).map(tokenizer)
    return dataset.ragged_batch(batch_size)


def _streamed_token_batches(corpus, files, tokenizer, batch_size):
    """Batches of token rows of a corpus in files (`files`, from
    `_line_corpus`) or in a dataset; `None` for a corpus in memory."""
    if files is not None:
        return files.token_batches(batch_size, tokenizer)
    if isinstance(corpus, tf.data.Dataset):
        return _token_batches(corpus, tokenizer, batch_size)
    return None


def _iter_token_lists(corpus, tokenizer, batch_size=1024):
    """Yields lists of `str` tokens from any supported corpus form."""
    files, tokenizer = _line_corpus(corpus, tokenizer)
    if files is not None:
        corpus = files.lines()
    if isinstance(corpus, tf.data.Dataset):
        for rows in _token_batches(corpus, tokenizer, batch_size).as_numpy_iterator():
            for row in rows:
                yield [t.decode("utf-8") for t in row]
        return
    if isinstance(corpus, bytes):
        raise TypeError(
            "`corpus` must be a file path or glob pattern (a str or "
            "os.PathLike), or an iterable of documents (strings) or of token "
            f"lists; received a single bytes object {corpus[:40]!r}."
        )
    batch = []
    for index, item in enumerate(corpus):
        if isinstance(item, str):
            batch.append(item)
            if len(batch) == batch_size:
                yield from tokenizer.tokenize_to_lists(batch, batch_size)
                batch = []
            continue
        if batch:
            yield from tokenizer.tokenize_to_lists(batch, batch_size)
            batch = []
        if isinstance(item, (list, tuple)):
            # One C-level pass per list (this runs on every token of a
            # corpus); the position is looked up only for the error.
            if not all(map(isinstance, item, itertools.repeat(str))):
                position, token = next(
                    (k, t) for k, t in enumerate(item) if not isinstance(t, str)
                )
                raise TypeError(
                    "`corpus` token lists must hold strings; received "
                    f"{token!r} of type {type(token).__name__} at "
                    f"corpus[{index}][{position}]."
                )
            yield list(item)
        else:
            raise TypeError(
                "`corpus` elements must be strings (documents) or lists of "
                f"string tokens; received {item!r} of type {type(item).__name__}."
            )
    if batch:
        yield from tokenizer.tokenize_to_lists(batch, batch_size)


class Vocabulary:
    """Words with their corpus counts and reserved `<PAD>`, `<UNK>`, `<EOS>`.

    Ids: `<PAD>` = 0, `<UNK>` = 1, `<EOS>` = 2, then the words by descending
    count; tied words keep their order of first appearance (gensim puts
    them in the reverse order, so a `restrict_vocab` cut between tied words
    can keep different ones). Reserved tokens have count 0 (they never
    occur in a corpus count), so a noise distribution built from `counts`
    never draws them.

    Build one with `Vocabulary.build(corpus, ...)` or
    `Vocabulary.from_counts(...)`; the constructor takes words already in id
    order.

    Args:
        words: the non-reserved words in id order (ids start at 3): distinct
            non-empty strings without whitespace.
        counts: their corpus counts, same length as `words` (default all 1).
        tokenizer: the `Tokenizer` used to turn documents into tokens in
            `encode`; default `Tokenizer()`.

    Raises:
        TypeError: a word is not a `str` (or `words` is a single string), or
            `tokenizer` is not a `Tokenizer`.
        ValueError: a word is empty, holds whitespace, is reserved or is
            repeated, or `counts` is not one non-negative integer per word.

    Example:

    >>> vocab = Vocabulary.build(["a b a c a b"], min_count=2)
    >>> vocab.words
    ['<PAD>', '<UNK>', '<EOS>', 'a', 'b']
    >>> vocab.encode(["a c b"])
    [[3, 1, 4]]
    """

    pad_id = PAD_ID
    unk_id = UNK_ID
    eos_id = EOS_ID
    num_reserved = NUM_RESERVED

    def __init__(self, words, counts=None, tokenizer=None):
        check_tokenizer(tokenizer)
        words = check_words(words)
        if counts is None:
            counts = [1] * len(words)
        counts = np.asarray(counts)
        if counts.shape != (len(words),):
            raise ValueError(
                f"`counts` must have one entry per word ({len(words)}); "
                f"received shape {counts.shape}."
            )
        if counts.size and (
            not np.issubdtype(counts.dtype, np.integer) or counts.min() < 0
        ):
            raise ValueError(
                "`counts` must be non-negative integers; received "
                f"dtype {counts.dtype} with minimum {counts.min()}."
            )
        self._words = list(RESERVED) + words
        self._index = {w: i for i, w in enumerate(self._words)}
        self._counts = np.concatenate(
            [np.zeros(self.num_reserved, np.int64), counts.astype(np.int64)]
        )
        self.tokenizer = tokenizer if tokenizer is not None else Tokenizer()
        self._table = None

    # ----- construction -------------------------------------------------
    @classmethod
    def build(cls, corpus, min_count=1, max_size=None, tokenizer=None):
        """Counts tokens in a corpus and keeps the frequent ones.

        A corpus in files or in a `tf.data.Dataset` is counted a batch of
        lines at a time, so its tokens are never all in memory: memory
        grows with the number of distinct words, not with the corpus.

        Args:
            corpus: text files (a path or glob pattern as `str` or
                `os.PathLike`, a list of `os.PathLike`, or a `LineCorpus`;
                see `is_corpus_path`: a `str` is always a path), an iterable
                of documents (strings, tokenized with `tokenizer`) or of
                token lists, or a `tf.data.Dataset` of scalar strings
                (documents) or 1-D string tensors (tokens).
            min_count: words seen fewer times are left out (they map to
                `<UNK>`); an int >= 1 (Python or NumPy, as are all ints here).
            max_size: the largest vocabulary size, reserved tokens
                included (an int > 3); the most frequent words are kept.
                `None`: no limit.
            tokenizer: a `Tokenizer`; default: a `LineCorpus`'s own, else
                `Tokenizer()`.

        Returns:
            A `Vocabulary`.

        Raises:
            TypeError: `min_count` or `max_size` is not an int (checked
                before the corpus is read), or `corpus` is not one of the
                forms above.
            ValueError: `min_count < 1` or `max_size <= 3` (checked before
                the corpus is read), the corpus holds no token, no word
                reaches `min_count`, or `tokenizer` differs from the
                `LineCorpus`'s own.
            FileNotFoundError: a corpus path names no file, or a glob
                pattern matches none.
            IsADirectoryError: a corpus path names a directory.

        Example:

        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "corpus.txt")
        >>> with open(path, "w") as f:
        ...     _ = f.write("a b a\\nc a b\\n")
        >>> Vocabulary.build(path, min_count=2).words
        ['<PAD>', '<UNK>', '<EOS>', 'a', 'b']
        """
        # Checked before the corpus is read: a generator is read only once.
        min_count, max_size = cls._check_sizes(min_count, max_size)
        check_tokenizer(tokenizer)
        files, tokenizer = _line_corpus(corpus, tokenizer)
        if files is None and not isinstance(
            corpus, (tf.data.Dataset, collections.abc.Iterable)
        ):
            raise TypeError(
                "`corpus` must be a file path (or glob, or `LineCorpus`), an "
                "iterable of documents (strings) or of token lists, or a "
                f"`tf.data.Dataset` of them; received {type(corpus).__name__} "
                f"{corpus!r}."
            )
        tokenizer = tokenizer if tokenizer is not None else Tokenizer()
        batches = _streamed_token_batches(corpus, files, tokenizer, STREAM_BATCH_LINES)
        if batches is not None:
            counter = count_tokens(batches)
        else:
            counter = collections.Counter()
            for tokens in _iter_token_lists(corpus, tokenizer):
                counter.update(tokens)
        if not counter:
            read = f" (read from {list(files.paths)})" if files is not None else ""
            raise ValueError(f"The corpus is empty: it contains no token{read}.")
        return cls.from_counts(
            counter, min_count=min_count, max_size=max_size, tokenizer=tokenizer
        )

    @classmethod
    def _check_sizes(cls, min_count, max_size):
        """`min_count` (>= 1) and `max_size` (room for the reserved tokens
        and a word, or None) as ints."""
        min_count = check_positive_int("min_count", min_count)
        max_size = check_positive_int(
            "max_size", max_size, minimum=cls.num_reserved + 1, allow_none=True
        )
        return min_count, max_size

    @classmethod
    def from_counts(cls, counts, min_count=1, max_size=None, tokenizer=None):
        """Builds a vocabulary from a `{word: count}` mapping.

        Args:
            counts: mapping of word to count, an integer >= 0 (Python or
                NumPy ints; bools and floats are rejected); reserved tokens
                and their counts are ignored.
            min_count: minimum count to keep a word (an int >= 1).
            max_size: the largest vocabulary size, reserved tokens included
                (an int > 3), or `None`.
            tokenizer: a `Tokenizer`; default `Tokenizer()`.

        Returns:
            A `Vocabulary`.

        Raises:
            TypeError: `counts` is not a mapping or holds a count that is not
                an integer, or `min_count`/`max_size` is not an int.
            ValueError: a count is negative, `min_count < 1`,
                `max_size <= 3`, `counts` holds no word besides the reserved
                tokens, or no word reaches `min_count`.
        """
        min_count, max_size = cls._check_sizes(min_count, max_size)
        if not isinstance(counts, collections.abc.Mapping):
            raise TypeError(
                "`counts` must be a mapping of word to count; received "
                f"{type(counts).__name__}."
            )
        items = []
        for word, count in counts.items():
            if word in RESERVED:
                continue
            if not is_integer(count):
                raise TypeError(
                    "`counts` must map words to integer counts (Python or NumPy "
                    f"ints, not bools or floats); received counts[{word!r}]="
                    f"{count!r} of type {type(count).__name__}."
                )
            if count < 0:
                raise ValueError(
                    "`counts` must map words to counts >= 0; received "
                    f"counts[{word!r}]={count!r}."
                )
            items.append((word, int(count)))
        if not items:
            raise ValueError(
                "The corpus is empty: `counts` holds no token besides the "
                f"reserved tokens {RESERVED}; received {len(counts)} entries."
            )
        # Stable sort: ties keep first-appearance order.
        items.sort(key=lambda wc: -wc[1])
        items = [(w, c) for w, c in items if c >= min_count]
        if max_size is not None:
            items = items[: max_size - cls.num_reserved]
        if not items:
            raise ValueError(
                f"No word reaches `min_count`={min_count}; the vocabulary "
                "would be empty."
            )
        return cls([w for w, _ in items], [c for _, c in items], tokenizer)

    # ----- plain queries ------------------------------------------------
    @property
    def words(self):
        """All tokens in id order (a new list), reserved tokens first."""
        return list(self._words)

    @property
    def counts(self):
        """Corpus counts in id order (int64 array); 0 for reserved tokens."""
        return self._counts.copy()

    def __len__(self):
        return len(self._words)

    @property
    def size(self):
        return len(self._words)

    def __contains__(self, word):
        return word in self._index

    def token_to_id(self, word):
        """The id of `word`, or `unk_id` if it is not in the vocabulary."""
        return self._index.get(word, self.unk_id)

    def id_to_token(self, token_id):
        """The token with id `token_id`.

        Args:
            token_id: a Python or NumPy integer.

        Returns:
            The token, a `str`.

        Raises:
            TypeError: `token_id` is not an integer (bools and floats, even
                integral ones, are rejected rather than truncated).
            IndexError: `token_id` is outside `[0, len(self))`.
        """
        if not is_integer(token_id):
            raise TypeError(
                "`token_id` must be an integer (a Python or NumPy int); received "
                f"token_id={token_id!r} of type {type(token_id).__name__}."
            )
        if not 0 <= token_id < len(self._words):
            raise IndexError(
                f"Token id {token_id} is outside the vocabulary "
                f"[0, {len(self._words)})."
            )
        return self._words[int(token_id)]

    def encode(self, corpus, add_eos=False):
        """Maps documents or token lists to lists of ids (Python side).

        The result is in memory; `encode_dataset` streams the ids of a
        corpus in files instead.

        Args:
            corpus: as for `build` (files, an iterable of strings or token
                lists, or a `tf.data.Dataset`).
            add_eos: append `<EOS>` to every sequence.

        Returns:
            A list of lists of ints; unknown words become `<UNK>`.

        Raises:
            TypeError: `corpus` is not a supported form, or a token list
                holds something other than strings.
            ValueError: a `LineCorpus`'s tokenizer differs from the
                vocabulary's.
            FileNotFoundError: a corpus path names no file, or a glob
                pattern matches none.
            IsADirectoryError: a corpus path names a directory.
        """
        add_eos = check_bool("add_eos", add_eos)
        out = []
        for tokens in _iter_token_lists(corpus, self.tokenizer):
            ids = [self._index.get(t, self.unk_id) for t in tokens]
            if add_eos:
                ids.append(self.eos_id)
            out.append(ids)
        return out

    def encode_dataset(self, corpus, add_eos=False, batch_size=None):
        """Maps a corpus to id sequences in a `tf.data` pipeline, streamed.

        Files are read a batch of lines at a time, tokenized with the
        vocabulary's tokenizer and looked up in `table`, so the corpus is
        never all in memory. Each iteration reads the corpus afresh. One
        sequence per element feeds `skipgram_dataset`; batches of sequences
        feed `cooccurrence` and cost less: splitting batches into single
        sequences is tf.data work per line, several times the cost of
        reading, tokenizing and looking up the line (benchmarks/RESULTS.md).

        Args:
            corpus: text files (a path or glob pattern, a list of
                `os.PathLike`, or a `LineCorpus`), or a `tf.data.Dataset`
                of scalar strings (documents) or 1-D string tensors
                (tokens).
            add_eos: append `<EOS>` to every sequence.
            batch_size: `None` for one sequence per element, or an int >= 1
                for `tf.RaggedTensor` batches of that many sequences (the
                last may hold fewer).

        Returns:
            A `tf.data.Dataset` of int64 ids: 1-D tensors, one per line or
            element, or ragged batches of shape `(batch, None)`. Unknown
            words become `<UNK>`.

        Raises:
            TypeError: `corpus` is in memory (use `encode`), or a dataset
                that does not yield scalar or 1-D strings, or `batch_size`
                is not an int or None.
            ValueError: `batch_size` < 1, or a `LineCorpus`'s tokenizer
                differs from the vocabulary's.
            FileNotFoundError: a corpus path names no file, or a glob
                pattern matches none.
            IsADirectoryError: a corpus path names a directory.

        Example:

        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "corpus.txt")
        >>> with open(path, "w") as f:
        ...     _ = f.write("a b a\\nc a b\\n")
        >>> vocab = Vocabulary.build(path, min_count=2)
        >>> [ids.numpy().tolist() for ids in vocab.encode_dataset(path, add_eos=True)]
        [[3, 4, 3, 2], [1, 3, 4, 2]]
        """
        add_eos = check_bool("add_eos", add_eos)
        batch_size = check_positive_int("batch_size", batch_size, allow_none=True)
        files, tokenizer = _line_corpus(corpus, self.tokenizer)
        batches = _streamed_token_batches(
            corpus, files, tokenizer, batch_size or STREAM_BATCH_LINES
        )
        if batches is None:
            raise TypeError(
                "`corpus` must be text files or a `tf.data.Dataset` of strings; "
                f"received {type(corpus).__name__}. Use `encode` for a corpus "
                "in memory."
            )
        table = self.table
        eos_id = self.eos_id

        def ids_of(tokens):
            if not isinstance(tokens, tf.RaggedTensor):
                tokens = tf.RaggedTensor.from_tensor(tokens)
            ids = tokens.with_flat_values(table.lookup(tokens.flat_values))
            if add_eos:
                eos = tf.fill([ids.nrows(), 1], tf.constant(eos_id, tf.int64))
                ids = tf.concat([ids, eos], axis=1)
            return ids

        if batch_size is not None:
            return batches.map(ids_of)
        # Unbatched ragged rows carry a RaggedTensorSpec of ragged rank 0;
        # passing them through a map makes that a plain TensorSpec([None]).
        return batches.map(ids_of).unbatch().map(lambda ids: ids)

    def decode(self, ids):
        """Maps a sequence of ids back to tokens (Python side).

        Args:
            ids: a sequence of Python or NumPy integers, a 1-D integer NumPy
                array or an eager 1-D integer `tf.Tensor`.

        Returns:
            A list of tokens.

        Raises:
            TypeError: an id is not an integer.
            IndexError: an id is outside `[0, len(self))`.
        """
        if isinstance(ids, tf.Tensor):
            ids = ids.numpy()
        return [self.id_to_token(i) for i in ids]

    # ----- in-graph lookups ---------------------------------------------
    @property
    def table(self):
        """A `tf.lookup.StaticHashTable` from token to int64 id (`<UNK>` default).

        Attach it to the `tf.Module` you export (`module.table =
        vocab.table`) so the SavedModel tracks it; it uses core TF ops
        only.
        """
        if self._table is None:
            init = tf.lookup.KeyValueTensorInitializer(
                tf.constant(self._words, tf.string),
                tf.range(len(self._words), dtype=tf.int64),
            )
            self._table = tf.lookup.StaticHashTable(init, default_value=self.unk_id)
        return self._table

    def lookup(self, tokens):
        """String tensor (dense or ragged) to int64 ids, in-graph."""
        if isinstance(tokens, tf.RaggedTensor):
            return tokens.with_flat_values(self.table.lookup(tokens.flat_values))
        return self.table.lookup(tf.convert_to_tensor(tokens, tf.string))

    def reverse_lookup(self, ids):
        """Integer id tensor (dense or ragged) to string tokens, in-graph.

        Ids outside `[0, len(self))` raise an error (eagerly or at run
        time), never a silent default.

        Args:
            ids: an integer tensor (or anything `tf.convert_to_tensor`
                takes), or a `tf.RaggedTensor` of integer ids.

        Returns:
            A string tensor of the same shape; a `tf.RaggedTensor` with the
            same row partitions for a ragged `ids`.

        Raises:
            TypeError: `ids` are not integers.
            tf.errors.InvalidArgumentError: an id is outside
                `[0, len(self))`.
        """
        if isinstance(ids, tf.RaggedTensor):
            return ids.with_flat_values(self.reverse_lookup(ids.flat_values))
        ids = tf.convert_to_tensor(ids)
        if not ids.dtype.is_integer:
            raise TypeError(f"`ids` must be integers; received dtype {ids.dtype.name}.")
        # In int64, which holds every id and the vocabulary size (a narrow
        # dtype such as uint8 cannot hold the size of a larger vocabulary).
        ids = tf.cast(ids, tf.int64)
        size = tf.constant(len(self._words), tf.int64)
        tf.debugging.assert_less(ids, size, message="token id outside the vocabulary")
        tf.debugging.assert_non_negative(ids, message="token id outside the vocabulary")
        return tf.gather(tf.constant(self._words, tf.string), ids)

    def lookup_layer(self, invert=False):
        """A `keras.layers.StringLookup` with exactly this vocabulary's ids.

        It saves in `.keras` files and exports to SavedModel with core TF
        ops, so a served model can take raw strings.

        Args:
            invert: map ids to strings instead.

        Returns:
            A `keras.layers.StringLookup` (`<PAD>`=0 is its mask token,
            `<UNK>`=1 its OOV token).
        """
        return keras.layers.StringLookup(
            vocabulary=self._words[self.num_reserved - 1 :],
            mask_token=PAD,
            oov_token=UNK,
            num_oov_indices=1,
            invert=check_bool("invert", invert),
            output_mode="int",
        )

    # ----- persistence ----------------------------------------------------
    def save(self, path):
        """Writes the vocabulary and its tokenizer's settings as UTF-8 text.

        The file format: a first line `#tokenizer ` followed by the
        tokenizer's `get_config()` as JSON, then one `token count` line per
        token in id order, reserved tokens first. For example:

            #tokenizer {"lowercase": false, "split": "words"}
            <PAD> 0
            <UNK> 0
            <EOS> 0
            the 3

        The header is only ever the first line, and the first token line is
        always `<PAD> 0`, so a word can never be read as the header (and a
        word `#tokenizer` on a later line is an ordinary word).

        Args:
            path: the file to write.

        Example:

        >>> import os, tempfile
        >>> vocab = Vocabulary.build(["Don't STOP"],
        ...                          tokenizer=Tokenizer(lowercase=False))
        >>> path = os.path.join(tempfile.mkdtemp(), "vocab.txt")
        >>> vocab.save(path)
        >>> Vocabulary.load(path).tokenizer
        Tokenizer(lowercase=False, split='whitespace')
        """
        header = json.dumps(self.tokenizer.get_config(), sort_keys=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"{TOKENIZER_HEADER}{header}\n")
            for word, count in zip(self._words, self._counts, strict=True):
                f.write(f"{word} {int(count)}\n")

    @classmethod
    def load(cls, path, tokenizer=None):
        """Reads a file written by `save` (format described there).

        Files without the `#tokenizer` header line (written by earlier
        versions) hold no tokenizer settings: they load with `tokenizer`, by
        default `Tokenizer()`.

        Args:
            path: the file to read.
            tokenizer: a `Tokenizer`, or `None` to use the file's. A file with
                a header must record the same settings as `tokenizer`.

        Returns:
            A `Vocabulary`.

        Raises:
            FileNotFoundError: there is no file at `path`.
            ValueError: a malformed header or `token count` line, reserved
                tokens not first, or a `tokenizer` whose settings differ from
                the file's header.
        """
        check_tokenizer(tokenizer)
        if not os.path.exists(path):
            raise FileNotFoundError(f"No vocabulary file at {path!r}.")
        words, counts = [], []
        saved_tokenizer = None
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                if lineno == 1 and line.startswith(TOKENIZER_HEADER):
                    saved_tokenizer = cls._read_header(path, line)
                    continue
                parts = line.rstrip("\n").split(" ")
                # ASCII digits: str.isdigit also passes '²', which int() refuses.
                if len(parts) != 2 or not re.fullmatch("[0-9]+", parts[1]):
                    raise ValueError(
                        f"{path}:{lineno}: expected `token count`; got {line!r}."
                    )
                words.append(parts[0])
                counts.append(int(parts[1]))
        if tuple(words[: cls.num_reserved]) != RESERVED:
            raise ValueError(
                f"{path}: the first tokens must be {RESERVED}; got "
                f"{tuple(words[: cls.num_reserved])}."
            )
        if (
            saved_tokenizer is not None
            and tokenizer is not None
            and tokenizer.get_config() != saved_tokenizer.get_config()
        ):
            raise ValueError(
                f"{path}: the file was saved with {saved_tokenizer!r}; "
                f"received tokenizer={tokenizer!r}. Pass tokenizer=None to "
                "use the file's tokenizer."
            )
        if tokenizer is None:
            tokenizer = saved_tokenizer
        return cls(words[cls.num_reserved :], counts[cls.num_reserved :], tokenizer)

    @staticmethod
    def _read_header(path, line):
        """The `Tokenizer` a `#tokenizer {...}` first line describes."""
        text = line[len(TOKENIZER_HEADER) :].rstrip("\n")
        try:
            return Tokenizer.from_config(json.loads(text))
        except (TypeError, ValueError) as error:
            raise ValueError(
                f"{path}:1: expected `{TOKENIZER_HEADER}` and a JSON object of "
                f"Tokenizer settings (`lowercase`, `split`); got {line!r} "
                f"({error})"
            ) from None

    def __repr__(self):
        return f"Vocabulary(size={len(self)})"

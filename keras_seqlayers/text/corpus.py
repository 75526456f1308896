"""Corpora read from text files, one document per line, streamed by tf.data."""

import bz2
import collections
import glob
import os

import tensorflow as tf

from keras_seqlayers.checks import check_positive_int
from keras_seqlayers.text.tokenization import Tokenizer, check_tokenizer

# Lines the bz2 reader hands to tf.data at once: one Python call per line
# would cost more than the decompression itself.
_BZ2_LINES_PER_CHUNK = 1024
_GLOB_CHARACTERS = frozenset("*?[")
# Lines per batch when counting or encoding a streamed corpus: large enough
# that the per-batch cost of tf.data and of the Python loop over a batch's
# distinct words is small, small enough that a batch of long lines fits in
# a few megabytes.
STREAM_BATCH_LINES = 4096


def is_corpus_path(corpus):
    """Whether a `corpus` argument names files rather than holding text.

    The rule, for every function of the package that takes a corpus:

    - a `str` or an `os.PathLike` (such as `pathlib.Path`) is always a file
      path or a glob pattern, never text;
    - a non-empty list or tuple whose elements are all `os.PathLike` is a
      list of files;
    - anything else (notably a list of `str`) is a corpus in memory: a list
      of `str` is a list of documents, one per element.

    Several files given as `str` go through `LineCorpus([...])` or a glob
    pattern, since a list of `str` is documents.

    Args:
        corpus: any value.

    Returns:
        A bool.

    Example:

    >>> import pathlib
    >>> is_corpus_path("corpus.txt"), is_corpus_path(pathlib.Path("a.txt.gz"))
    (True, True)
    >>> is_corpus_path(["the cat sat", "on the mat"])
    False
    """
    if isinstance(corpus, (str, os.PathLike)):
        return True
    return (
        isinstance(corpus, (list, tuple))
        and bool(corpus)
        and all(isinstance(path, os.PathLike) for path in corpus)
    )


def _compression(path):
    """`"GZIP"`, `"BZ2"` or `""`, from the file name's suffix."""
    name = path.lower()
    if name.endswith(".gz"):
        return "GZIP"
    if name.endswith(".bz2"):
        return "BZ2"
    return ""


def _resolve(source):
    """The files `source` names, in order: each path or the sorted matches
    of each glob pattern."""
    if isinstance(source, (str, os.PathLike)):
        sources = [source]
    elif isinstance(source, (list, tuple)) and source:
        sources = list(source)
    else:
        raise TypeError(
            "`paths` must be a file path or glob pattern (a str or os.PathLike) "
            "or a non-empty list or tuple of them; received "
            f"paths={source!r} of type {type(source).__name__}."
        )
    files = []
    for index, item in enumerate(sources):
        if not isinstance(item, (str, os.PathLike)):
            raise TypeError(
                "`paths` must hold file paths or glob patterns (str or "
                f"os.PathLike); received {item!r} of type "
                f"{type(item).__name__} at paths[{index}]."
            )
        files.extend(_files_of(os.fspath(item)))
    return tuple(files)


def _files_of(path):
    """`[path]` if it is a file, else the files its glob pattern matches."""
    if isinstance(path, bytes):
        raise TypeError(
            f"`paths` must be str or os.PathLike giving str; received {path!r}."
        )
    if os.path.isdir(path):
        raise IsADirectoryError(
            f"The corpus path {path!r} is a directory; name its files, for "
            f"example with the glob pattern {os.path.join(path, '*.txt')!r}."
        )
    if os.path.isfile(path):
        return [path]
    if _GLOB_CHARACTERS.intersection(path):
        matches = sorted(p for p in glob.glob(path) if os.path.isfile(p))
        if matches:
            return matches
        raise FileNotFoundError(f"The corpus glob pattern {path!r} matches no file.")
    raise FileNotFoundError(
        f"No corpus file at {path!r}. A str corpus is always a file path or "
        "glob pattern; to pass text, give a list of documents such as "
        f"[{path!r}]."
    )


def _bz2_lines(path):
    """Yields the lines of a bz2 file in chunks, split as TextLineDataset
    splits (at "\\n", one trailing "\\r" removed)."""
    chunk = []
    with bz2.open(path, "rb") as f:
        for raw in f:
            line = raw[:-1] if raw.endswith(b"\n") else raw
            chunk.append(line[:-1] if line.endswith(b"\r") else line)
            if len(chunk) == _BZ2_LINES_PER_CHUNK:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


def _bz2_dataset(path):
    chunks = tf.data.Dataset.from_generator(
        lambda: _bz2_lines(path),
        output_signature=tf.TensorSpec([None], tf.string),
    )
    return chunks.unbatch()


class LineCorpus:
    """A corpus in text files, one document (sentence) per line, streamed.

    The equivalent of gensim's `LineSentence` (and of its `corpus_file`
    argument): the files are read line by line with
    `tf.data.TextLineDataset` and split into tokens by a `Tokenizer`, a
    batch of lines at a time, so only a batch is ever in memory. Every new
    iteration reads the files again from the start, so the corpus can be
    passed over once per epoch.

    Files ending in `.gz` are read with TextLineDataset's GZIP decoder.
    Files ending in `.bz2`, which TextLineDataset does not decode, are
    decompressed by Python's `bz2` module in a generator feeding tf.data:
    this holds the Python interpreter lock while it reads (other Python
    threads wait), runs in this process only (such a dataset cannot be
    saved with the model or sent to tf.data service workers), and reads
    about 8 times slower than gzip (1.1 against 8.2 million tokens a
    second on a 2-core machine), though still faster than the tokenizer
    that follows (benchmarks/RESULTS.md).

    A line ends at `"\\n"`; one `"\\r"` before it is removed. Empty lines
    are documents without tokens.

    Which values name files is decided by `is_corpus_path`: a `str` is
    always a path or glob pattern, never text.

    Args:
        paths: a file path or glob pattern (`str` or `os.PathLike`), or a
            non-empty list or tuple of them (here a list of `str` is a list
            of paths). Files are read in the given order, the matches of a
            glob pattern in sorted order. Each path must exist and each
            pattern must match a file when the corpus is made.
        tokenizer: the `Tokenizer` that splits each line, or `None`: then
            whatever reads the corpus uses its own (a `Vocabulary`'s, a
            model's), and iterating over the corpus uses `Tokenizer()`.

    Raises:
        TypeError: `paths` is not a path, a pattern or a list of them, or
            `tokenizer` is not a `Tokenizer`.
        FileNotFoundError: a path names no file, or a glob pattern matches
            none.
        IsADirectoryError: a path names a directory.

    Example:

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "corpus.txt")
    >>> with open(path, "w") as f:
    ...     _ = f.write("The cat sat\\non the mat\\n")
    >>> corpus = LineCorpus(path)
    >>> list(corpus)
    [['the', 'cat', 'sat'], ['on', 'the', 'mat']]
    >>> from keras_seqlayers.text import Vocabulary
    >>> Vocabulary.build(corpus).words[3:]
    ['the', 'cat', 'sat', 'on', 'mat']
    """

    def __init__(self, paths, tokenizer=None):
        check_tokenizer(tokenizer)
        self.paths = _resolve(paths)
        self.tokenizer = tokenizer

    def lines(self):
        """The lines of all files in order, as a `tf.data.Dataset` of scalar
        strings (without their line ends).

        Returns:
            A `tf.data.Dataset`.
        """
        # Consecutive files of one compression share one TextLineDataset.
        runs = []
        for path in self.paths:
            kind = _compression(path)
            if runs and runs[-1][0] == kind:
                runs[-1][1].append(path)
            else:
                runs.append((kind, [path]))
        dataset = None
        for kind, paths in runs:
            if kind == "BZ2":
                part = _bz2_dataset(paths[0])
                for path in paths[1:]:
                    part = part.concatenate(_bz2_dataset(path))
            else:
                part = tf.data.TextLineDataset(paths, compression_type=kind)
            dataset = part if dataset is None else dataset.concatenate(part)
        return dataset

    def resolve_tokenizer(self, tokenizer):
        """The tokenizer a reader with `tokenizer` uses on this corpus.

        Args:
            tokenizer: the reader's `Tokenizer`, or `None`.

        Returns:
            The corpus's tokenizer if it has one, else `tokenizer`, else
            `Tokenizer()`.

        Raises:
            TypeError: `tokenizer` is not a `Tokenizer` or None.
            ValueError: the corpus and the reader both have a tokenizer, with
                different settings.
        """
        check_tokenizer(tokenizer)
        if self.tokenizer is None:
            return tokenizer if tokenizer is not None else Tokenizer()
        if tokenizer is not None and tokenizer.get_config() != (
            self.tokenizer.get_config()
        ):
            raise ValueError(
                f"The corpus splits its lines with {self.tokenizer!r}, but "
                f"tokenizer={tokenizer!r} was given; make the two the same, "
                "or leave the corpus's tokenizer as None."
            )
        return self.tokenizer

    def token_batches(self, batch_size=1024, tokenizer=None):
        """The lines split into tokens, a batch of lines at a time.

        Args:
            batch_size: lines per batch (an int >= 1).
            tokenizer: as for `resolve_tokenizer`.

        Returns:
            A `tf.data.Dataset` of string `tf.RaggedTensor`s of shape
            `(lines, None)`.

        Raises:
            TypeError, ValueError: as for `resolve_tokenizer`, or
                `batch_size` is not an int >= 1.
        """
        batch_size = check_positive_int("batch_size", batch_size)
        tokenizer = self.resolve_tokenizer(tokenizer)
        return self.lines().batch(batch_size).map(tokenizer)

    def __iter__(self):
        """Yields each line's tokens, a list of `str`."""
        for rows in self.token_batches().as_numpy_iterator():
            for row in rows:
                yield [token.decode("utf-8") for token in row]

    def __repr__(self):
        return f"LineCorpus(paths={list(self.paths)!r}, tokenizer={self.tokenizer!r})"


def count_tokens(batches):
    """A `Counter` of the tokens of a dataset of token batches.

    Each batch is reduced in-graph to its distinct tokens and their counts,
    so only one batch of tokens is ever in memory. `unique_with_counts`
    keeps a batch's tokens in order of first appearance, so the counter's
    keys are in the corpus's order of first appearance, as counting token
    by token would leave them (ties between words keep that order).
    """

    def distinct(tokens):
        if isinstance(tokens, tf.RaggedTensor):
            flat = tokens.flat_values
        else:
            flat = tf.reshape(tokens, [-1])
        words, _, counts = tf.unique_with_counts(flat, out_idx=tf.int64)
        return words, counts

    counter = collections.Counter()
    for words, counts in batches.map(distinct).as_numpy_iterator():
        for word, count in zip(words.tolist(), counts.tolist(), strict=True):
            counter[word.decode("utf-8")] += count
    return counter


def corpus_ids(vocabulary, corpus):
    """The id sequences of `corpus` that a model trains on.

    A corpus in files (see `is_corpus_path`, or a `LineCorpus`) stays
    there: its ids are a `tf.data.Dataset` of `tf.RaggedTensor` batches of
    lines, which reads the files afresh at each iteration. Any other corpus
    is encoded in memory.

    Args:
        vocabulary: the `Vocabulary` that encodes the corpus.
        corpus: as for `Vocabulary.build`.

    Returns:
        The dataset of `Vocabulary.encode_dataset(corpus, batch_size=...)`
        for a corpus in files, else the list of `Vocabulary.encode(corpus)`.
    """
    if isinstance(corpus, LineCorpus) or is_corpus_path(corpus):
        return vocabulary.encode_dataset(corpus, batch_size=STREAM_BATCH_LINES)
    return vocabulary.encode(corpus)

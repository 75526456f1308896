"""Reading and writing word vectors: the word2vec text and binary formats
(laid out in `word2vec_format`; some binary writers, gensim among them, omit
the newline after each vector, and both forms are read) and the TensorBoard
Projector's TSV files.
"""

import numpy as np

from keras_seqlayers._words import repeated_words
from keras_seqlayers.checks import check_nonnegative_int
from keras_seqlayers.embeddings.similarity import WordVectors
from keras_seqlayers.embeddings.word2vec_format import (
    infer_binary,
    write_word2vec_format,
)


def save_word2vec_format(path, vectors, words=None, binary=False):
    """Writes vectors in word2vec format (readable by gensim and word2vec.c).

    Args:
        path: output file.
        vectors: a `WordVectors`, or an array `(n, dim)` with `words`.
        words: the words when `vectors` is an array.
        binary: binary (float32) instead of text format: `True`/`False`,
            or `None` to decide by the `.bin` extension.

    Raises:
        TypeError: `binary` is not a bool or None.
        ValueError: `words` is given with a `WordVectors` or missing with
            an array, or a word is empty or holds whitespace.

    Example:

    >>> import os, tempfile
    >>> wv = WordVectors(["a", "b"], [[1.0, 2.0], [3.0, 4.0]])
    >>> path = os.path.join(tempfile.mkdtemp(), "v.txt")
    >>> save_word2vec_format(path, wv)
    >>> load_word2vec_format(path)["b"].tolist()
    [3.0, 4.0]
    """
    if not isinstance(vectors, WordVectors):
        if words is None:
            raise ValueError("`words` is required when `vectors` is an array.")
        vectors = WordVectors(words, vectors)
    elif words is not None:
        raise ValueError(
            "Pass `words` only when `vectors` is an array; `vectors` is a "
            f"WordVectors and `words` was {words!r}."
        )
    write_word2vec_format(path, vectors.words, vectors.vectors, binary)


def load_word2vec_format(path, binary=None, limit=None, unicode_errors="strict"):
    """Reads word2vec-format vectors (Google's `.bin` files included).

    Args:
        path: the file.
        binary: `True`/`False`, or `None` to decide by the `.bin` extension.
        limit: read only the first `limit` vectors (an integer >= 0, the
            most frequent ones in word2vec's own files), or `None` for all.
        unicode_errors: how to decode words with invalid UTF-8 (`"strict"`,
            `"ignore"`, `"replace"`), as in gensim.

    Returns:
        A `WordVectors`.

    Raises:
        TypeError: `binary` is not a bool or None, or `limit` not an integer
            or None.
        ValueError: `limit` is negative; or on a malformed header, a
            truncated file, a row with the wrong number of values or a
            repeated word.
    """
    binary = infer_binary(path, binary)
    limit = check_nonnegative_int("limit", limit, allow_none=True)
    with open(path, "rb") as f:
        data = f.read()
    eol = data.find(b"\n")
    try:
        count, dim = (int(x) for x in data[:eol].split())
    except ValueError:
        raise ValueError(
            f"{path}: the first line must be `<count> <dim>`; got {data[:eol]!r}."
        ) from None
    if limit is not None:
        count = min(count, limit)
    words = []
    vectors = np.empty((count, dim), dtype=np.float32)
    pos = eol + 1
    if binary:
        nbytes = 4 * dim
        for i in range(count):
            space = data.find(b" ", pos)
            if space < 0 or space + 1 + nbytes > len(data):
                raise ValueError(
                    f"{path}: unexpected end of file at vector {i} of {count}."
                )
            # Google's files put a newline after each vector; gensim's don't.
            words.append(data[pos:space].lstrip(b"\n").decode("utf-8", unicode_errors))
            vectors[i] = np.frombuffer(data, "<f4", count=dim, offset=space + 1)
            pos = space + 1 + nbytes
    else:
        lines = data[pos:].split(b"\n")
        if len(lines) < count or (len(lines) == count and not lines[-1]):
            raise ValueError(f"{path}: expected {count} vectors; the file is shorter.")
        for i in range(count):
            parts = lines[i].rstrip().decode("utf-8", unicode_errors).split(" ")
            if len(parts) != dim + 1:
                raise ValueError(
                    f"{path}: line {i + 2} has {len(parts) - 1} values; expected {dim}."
                )
            words.append(parts[0])
            vectors[i] = np.asarray(parts[1:], dtype=np.float32)
    if len(set(words)) != len(words):
        raise ValueError(
            f"{path}: a word appears more than once; repeated words: "
            f"{repeated_words(words)}."
        )
    return WordVectors(words, vectors)


def export_projector(directory, vectors, metadata=None):
    """Writes `vectors.tsv` and `metadata.tsv` for the TensorBoard Projector.

    Load them at https://projector.tensorflow.org ("Load") or point
    TensorBoard's projector at the directory.

    Args:
        directory: output directory (created if needed).
        vectors: a `WordVectors`.
        metadata: optional dict of extra per-word columns `{name: list}`;
            with none, `metadata.tsv` has one word per line and no header
            (the Projector's single-column format).

    Returns:
        The paths `(vectors_tsv, metadata_tsv)`.

    Raises:
        TypeError: `vectors` is not a `WordVectors`.
        ValueError: a metadata column has another length than the
            vocabulary, or a word, column name or value holds a tab or a
            line break (nothing is written).
    """
    import os

    if not isinstance(vectors, WordVectors):
        raise TypeError(
            f"`vectors` must be a WordVectors; received {type(vectors).__name__}."
        )
    columns = dict(metadata or {})
    for name, values in columns.items():
        if len(values) != len(vectors):
            raise ValueError(
                f"metadata column {name!r} has {len(values)} values; expected "
                f"{len(vectors)}."
            )
    fields = [(f"word {i}", w) for i, w in enumerate(vectors.words)]
    for name, values in columns.items():
        fields.append(("a metadata column name", str(name)))
        fields += [
            (f"metadata {name!r} value {i}", str(v)) for i, v in enumerate(values)
        ]
    for where, text in fields:
        if any(c in text for c in "\t\n\r"):
            # metadata.tsv is one line per word, its fields split by tabs.
            raise ValueError(
                f"The Projector files cannot hold tabs or line breaks; "
                f"received {text!r} as {where}."
            )
    os.makedirs(directory, exist_ok=True)
    vectors_path = os.path.join(directory, "vectors.tsv")
    metadata_path = os.path.join(directory, "metadata.tsv")
    with open(vectors_path, "w", encoding="utf-8") as f:
        for row in vectors.vectors:
            f.write("\t".join(f"{v:.6g}" for v in row.tolist()) + "\n")
    with open(metadata_path, "w", encoding="utf-8") as f:
        if columns:
            f.write("\t".join(["word", *columns]) + "\n")
        for i, word in enumerate(vectors.words):
            fields = [word, *(str(values[i]) for values in columns.values())]
            f.write("\t".join(fields) + "\n")
    return vectors_path, metadata_path

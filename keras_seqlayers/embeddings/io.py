"""Reading and writing word vectors: word2vec's text and binary formats,
GloVe's header-less text format (all laid out in `word2vec_format`), and the
TensorBoard Projector's TSV files.
"""

from keras_seqlayers.checks import check_bool, check_nonnegative_int
from keras_seqlayers.embeddings.similarity import WordVectors
from keras_seqlayers.embeddings.word2vec_format import (
    check_unicode_errors,
    read_vectors,
    resolve_format,
    write_word2vec_format,
)


def save_word2vec_format(path, vectors, words=None, binary=False, write_header=True):
    """Writes vectors in word2vec format (readable by gensim and word2vec.c),
    or in GloVe's text format with `write_header=False`.

    Args:
        path: output file; compressed with gzip or bzip2 when it ends in
            `.gz` or `.bz2`.
        vectors: a `WordVectors`, or an array `(n, dim)` with `words`.
        words: the words when `vectors` is an array.
        binary: binary (float32) instead of text format: `True`/`False`,
            or `None` to decide by the `.bin` extension.
        write_header: whether to start with the line `<count> <dim>`;
            `False` writes GloVe's format (text only), as in gensim.

    Raises:
        TypeError: `binary` is not a bool or None, or `write_header` not a
            bool.
        ValueError: `words` is given with a `WordVectors` or missing with
            an array, a word is empty or holds whitespace, or a binary file
            is asked for without its header.

    Example:

    >>> import os, tempfile
    >>> wv = WordVectors(["a", "b"], [[1.0, 2.0], [3.0, 4.0]])
    >>> path = os.path.join(tempfile.mkdtemp(), "v.txt")
    >>> save_word2vec_format(path, wv)
    >>> load_word2vec_format(path)["b"].tolist()
    [3.0, 4.0]
    >>> save_word2vec_format(path, wv, write_header=False)  # GloVe's format
    >>> with open(path) as f:
    ...     f.read()
    'a 1 2\\nb 3 4\\n'
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
    write_word2vec_format(
        path, vectors.words, vectors.vectors, binary, write_header=write_header
    )


def load_word2vec_format(
    path,
    binary=None,
    limit=None,
    unicode_errors="strict",
    *,
    format="auto",
    no_header=None,
    allow_non_finite=False,
):
    """Reads word vectors: word2vec text or binary (Google's `.bin` files
    included) or GloVe's text, told apart by the file's content.

    A word2vec file starts with the line `<count> <dim>`; a binary one then
    holds raw float32 values, a text one a line `word v1 ... vd` per word.
    GloVe's files are those lines alone. A first line of exactly two
    numbers is read as a header: pass `format="glove"` for a GloVe file of
    one-dimensional vectors whose first word is a number. Files compressed
    with gzip or bzip2 (`.gz`, `.bz2`) are read directly.

    gensim's `KeyedVectors.load_word2vec_format` reads the same files;
    `binary`, `no_header`, `limit` and `unicode_errors` mean what they mean
    there, except that `None`, the default here, leaves the choice to the
    file's content. Unlike gensim, a repeated word or a NaN or infinite
    value is an error rather than a warning or a silent load, words are
    always UTF-8, and `fvocab`/`datatype` are not offered.

    Args:
        path: the file.
        binary: `True` for word2vec binary, `False` for a text format, or
            `None` to detect it.
        limit: read only the first `limit` vectors (an integer >= 0, the
            most frequent ones in word2vec's own files), or `None` for all.
        unicode_errors: how to decode words with invalid UTF-8 (`"strict"`,
            `"ignore"`, `"replace"`), as in gensim.
        format: `"auto"` (detect), `"word2vec"` (text), `"word2vec_binary"`
            or `"glove"`.
        no_header: `True` for a file without the `<count> <dim>` line
            (GloVe's), `False` for one with it, or `None` to detect it.
        allow_non_finite: load NaN and infinite values instead of refusing
            the file.

    Returns:
        A `WordVectors`.

    Raises:
        TypeError: `binary`, `no_header` or `allow_non_finite` is not a
            bool (the first two may be None), or `limit` not an integer or
            None.
        ValueError: `limit` is negative, `format` unknown or at odds with
            `binary`/`no_header`, `unicode_errors` no error handler; or the
            file is malformed: the message names the file, the line (the
            byte in a binary file, counted in the decompressed data) and
            what was expected there. A repeated word or, by default, a NaN
            or infinite value is refused the same way.

    Example:

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "glove.txt")
    >>> with open(path, "w") as f:
    ...     _ = f.write("the 0.5 -1.0\\ncat 2.0 0.25\\n")
    >>> wv = load_word2vec_format(path)  # no header line: GloVe's format
    >>> wv.words, wv["cat"].tolist()
    (['the', 'cat'], [2.0, 0.25])
    >>> with open(path, "w") as f:
    ...     _ = f.write("the 0.5 -1.0\\ncat 0.1 abc\\n")
    >>> load_word2vec_format(path)
    Traceback (most recent call last):
    ...
    ValueError: ...: line 2: expected a number as value 2 of 'cat'; found 'abc'.
    """
    formats = resolve_format(format, binary, no_header)
    limit = check_nonnegative_int("limit", limit, allow_none=True)
    unicode_errors = check_unicode_errors(unicode_errors)
    allow_non_finite = check_bool("allow_non_finite", allow_non_finite)
    words, vectors = read_vectors(
        path, formats, limit, unicode_errors, allow_non_finite
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

"""Writing the word2vec text and binary formats, below both `WordVectors`
(whose `save_word2vec_format` method writes) and `io` (which also reads).

Both formats start with a header line `"<count> <dim>\\n"`. Text: one line
per word, `word v1 ... vd`. Binary (Google's `word2vec.c`): `word`, a space,
`dim` little-endian float32 values, then a newline.
"""

from keras_seqlayers.checks import check_bool


def infer_binary(path, binary):
    """`binary` checked, or, when it is None, whether `path` ends in `.bin`."""
    binary = check_bool("binary", binary, allow_none=True)
    if binary is None:
        return str(path).endswith(".bin")
    return binary


def write_word2vec_format(path, words, vectors, binary):
    """Writes the rows of `vectors` under `words` (see `save_word2vec_format`).

    Args:
        path: output file.
        words: one `str` per row.
        vectors: a 2-D float array.
        binary: `True`/`False`, or `None` to decide by the `.bin` extension.

    Raises:
        TypeError: `binary` is not a bool or None.
        ValueError: a word is empty or holds whitespace (nothing is written).

    Example:

    >>> import os, tempfile
    >>> import numpy as np
    >>> path = os.path.join(tempfile.mkdtemp(), "v.txt")
    >>> write_word2vec_format(path, ["a"], np.array([[1.0, 2.0]]), None)
    >>> open(path).read()
    '1 2\\na 1 2\\n'
    """
    binary = infer_binary(path, binary)
    for word in words:
        if not word or any(c.isspace() for c in word):
            raise ValueError(
                "word2vec format cannot store a word that is empty or "
                f"contains whitespace; received {word!r}."
            )
    n, dim = vectors.shape
    with open(path, "wb") as f:
        f.write(f"{n} {dim}\n".encode())
        for word, row in zip(words, vectors, strict=True):
            if binary:
                f.write(word.encode("utf-8") + b" ")
                f.write(row.astype("<f4").tobytes())
                f.write(b"\n")
            else:
                values = " ".join(f"{v:.9g}" for v in row.tolist())
                f.write(f"{word} {values}\n".encode())

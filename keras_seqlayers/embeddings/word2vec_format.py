"""The word-vector file formats: their layout, detection, reading and writing,
below both `WordVectors` (whose `save_word2vec_format` method writes) and
`io` (the public functions).

- word2vec text: a header line `<count> <dim>`, then one line per word,
  `word v1 ... vd`, the fields separated by single spaces.
- word2vec binary (Google's `word2vec.c`): the same header, then for each
  word the word, a space and `dim` little-endian float32 values, then a
  newline (some writers, gensim among them, omit it; both forms are read).
- GloVe text: the word2vec text layout without the header line.

Files compressed with gzip or bzip2 are recognised by their first bytes;
they are written compressed when the path ends in `.gz` or `.bz2`.
"""

import bz2
import codecs
import gzip
import re
import zlib

import numpy as np

from keras_seqlayers._words import repeated_words
from keras_seqlayers.checks import check_bool, check_choice

FORMATS = ("auto", "word2vec", "word2vec_binary", "glove")
_HEADER_FORMATS = ("word2vec", "word2vec_binary")
_COMPRESSED = {".gz": gzip, ".bz2": bz2}
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _uncompressed_name(path):
    name = str(path)
    for suffix in _COMPRESSED:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def infer_binary(path, binary):
    """`binary` checked, or, when it is None, whether `path` ends in `.bin`
    (before any `.gz` or `.bz2`)."""
    binary = check_bool("binary", binary, allow_none=True)
    if binary is None:
        return _uncompressed_name(path).endswith(".bin")
    return binary


def resolve_format(format, binary, no_header):
    """The formats a file may be read as, given the loader's arguments.

    `format` is one of `FORMATS`; `binary` and `no_header` (gensim's names)
    are `True`, `False` or `None` (no constraint). Each narrows the choice.

    Raises:
        TypeError: `binary` or `no_header` is not a bool or None.
        ValueError: `format` is not one of `FORMATS`, or the three disagree.

    Example:

    >>> resolve_format("auto", False, None)
    ('word2vec', 'glove')
    >>> resolve_format("auto", None, True)
    ('glove',)
    """
    check_choice("format", format, FORMATS)
    binary = check_bool("binary", binary, allow_none=True)
    no_header = check_bool("no_header", no_header, allow_none=True)
    allowed = FORMATS[1:] if format == "auto" else (format,)
    if binary is not None:
        allowed = tuple(f for f in allowed if (f == "word2vec_binary") == binary)
    if no_header is not None:
        allowed = tuple(f for f in allowed if (f == "glove") == no_header)
    if not allowed:
        raise ValueError(
            f"format={format!r}, binary={binary!r} and no_header={no_header!r} "
            "describe no format: a binary file always has a header and GloVe's "
            "is text without one. Pass `format` alone (one of "
            f"{FORMATS}), or gensim's `binary`/`no_header`."
        )
    return allowed


def check_unicode_errors(unicode_errors):
    """`unicode_errors` if it names a registered decoding error handler."""
    try:
        codecs.lookup_error(unicode_errors)
    except (LookupError, TypeError):
        raise ValueError(
            "`unicode_errors` must name a decoding error handler such as "
            f"'strict', 'ignore' or 'replace'; received "
            f"unicode_errors={unicode_errors!r}."
        ) from None
    return unicode_errors


def read_file(path):
    """The bytes of `path`, decompressed when they start as gzip or bzip2 do."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        module = gzip
    elif data[:3] == b"BZh" and data[4:10] in (b"1AY&SY", b"\x17rE8P\x90"):
        module = bz2
    else:
        return data
    try:
        return module.decompress(data)
    except (OSError, EOFError, ValueError, zlib.error) as e:
        raise ValueError(
            f"{path}: the file starts as {module.__name__} data but cannot be "
            f"decompressed ({e})."
        ) from None


def read_vectors(path, formats, limit, unicode_errors, allow_non_finite):
    """Reads `path` as one of `formats` (see `resolve_format`).

    Returns:
        `(words, vectors)`: a list of `str` and a float32 array.

    Raises:
        ValueError: the file is malformed, naming the file, the line (or the
            byte, in binary files; of the decompressed data for compressed
            ones) and what was expected there; a word is repeated; or a
            value is NaN or infinite and `allow_non_finite` is False.
    """
    data = read_file(path)
    if not data or data.isspace():
        expected = " or ".join(_expected_first_line(formats))
        raise ValueError(f"{path}: the file is empty; expected {expected}.")
    fmt, header = _detect(path, data, formats, unicode_errors)
    if fmt == "word2vec_binary":
        words, vectors, where = _read_binary(path, data, header, limit, unicode_errors)
    else:
        words, vectors, where = _read_text(path, data, header, limit, unicode_errors)
    _check_words(path, words, where)
    if not allow_non_finite:
        _check_finite(path, words, vectors, where)
    return words, vectors


def _expected_first_line(formats):
    expected = []
    if set(formats) & set(_HEADER_FORMATS):
        expected.append("a word2vec header `<count> <dim>`")
    if "glove" in formats:
        expected.append("GloVe's `word v1 v2 ...`")
    return expected


def _first_line(data):
    eol = data.find(b"\n")
    return (data, len(data)) if eol < 0 else (data[:eol], eol + 1)


def _looks_like_header(line):
    # GloVe rows have a word and at least one value; a first line of exactly
    # two numbers is read as a header, as gensim would read it.
    tokens = line.split()
    if len(tokens) != 2:
        return False
    try:
        [float(t) for t in tokens]
    except ValueError:
        return False
    return True


def _detect(path, data, formats, unicode_errors):
    """`(format, header)`: header is `(count, dim, first byte of the rows)`
    for word2vec files and None for GloVe's."""
    line, start = _first_line(data)
    if formats == ("glove",) or ("glove" in formats and not _looks_like_header(line)):
        if len(line.split()) < 2:
            raise ValueError(
                f"{path}: line 1: expected "
                f"{' or '.join(_expected_first_line(formats))}; found "
                f"{line.decode('utf-8', 'replace')!r}."
            )
        return "glove", None
    count, dim = _parse_header(path, line)
    header = (count, dim, start)
    text = count > 0 and _looks_like_text(data, start, dim, unicode_errors)
    if formats == ("word2vec_binary",) and text:
        raise ValueError(
            f"{path}: line 2: expected a binary row (a word, a space and {dim} "
            "float32 values); found only text: the file is word2vec text. Read "
            "it with binary=False or format='auto'."
        )
    if "word2vec" in formats and ("word2vec_binary" not in formats or text):
        return "word2vec", header
    return "word2vec_binary", header


def _parse_header(path, line):
    shown = line.decode("utf-8", "replace")
    try:
        count, dim = (int(t) for t in shown.split())
    except ValueError:
        raise ValueError(
            f"{path}: line 1: expected a word2vec header `<count> <dim>` of two "
            f"integers; found {shown!r}."
        ) from None
    if count < 0 or dim < 1:
        raise ValueError(
            f"{path}: line 1: expected a header `<count> <dim>` with count >= 0 "
            f"and dim >= 1; found count={count}, dim={dim}."
        )
    return count, dim


def _looks_like_text(data, start, dim, unicode_errors):
    # Binary rows hold raw float32 bytes, which almost surely include control
    # bytes or invalid UTF-8 within one row's length; text rows never do.
    space = data.find(b" ", start)
    window = data[start : len(data) if space < 0 else space + 1 + 4 * dim]
    if _CONTROL_BYTES.search(window):
        return False
    try:
        codecs.getincrementaldecoder("utf-8")(unicode_errors).decode(window)
    except UnicodeDecodeError:
        return False
    return True


def _read_text(path, data, header, limit, unicode_errors):
    """Rows of word2vec text (`header` given) or GloVe (`header` None)."""
    count, dim, start = header if header else (None, None, 0)
    first = 2 if header else 1
    try:
        lines = data[start:].decode("utf-8", unicode_errors).split("\n")
    except UnicodeDecodeError as e:
        line = first + data.count(b"\n", start, start + e.start)
        raise ValueError(
            f"{path}: line {line}: expected UTF-8 text; byte {start + e.start} "
            f"is not ({e.reason}). Pass unicode_errors='replace' to read it "
            "anyway, or binary=True if the file is word2vec binary."
        ) from None
    while lines and not lines[-1].strip():
        lines.pop()
    if header is None:
        dim = len(lines[0].rstrip().split(" ")) - 1
        count = len(lines)
    n = count if limit is None else min(count, limit)
    if len(lines) < n:
        raise ValueError(
            f"{path}: the header announces {count} vectors; the file ends after "
            f"{len(lines)} (line {first + len(lines) - 1})."
        )
    if n == count and len(lines) > count:
        raise ValueError(
            f"{path}: line {first + count}: the header announces {count} "
            "vectors; expected the end of the file."
        )
    words = []
    vectors = np.empty((n, dim), np.float32)
    # Values beyond float32's range become infinite, which the finite check
    # then reports with the word and the line.
    with np.errstate(over="ignore"):
        for i, line in enumerate(lines[:n]):
            parts = line.rstrip().split(" ")
            if len(parts) != dim + 1:
                raise ValueError(
                    f"{path}: line {first + i}: expected a word and {dim} values "
                    f"{'(the header dim)' if header else '(as on line 1)'}; found "
                    f"{len(parts) - 1} values after {parts[0]!r}."
                )
            words.append(parts[0])
            try:
                vectors[i] = parts[1:]
            except ValueError:
                _raise_not_a_number(path, first + i, parts)
    return words, vectors, lambda i: f"line {first + i}"


def _raise_not_a_number(path, line, parts):
    for j, value in enumerate(parts[1:]):
        try:
            float(value)
        except ValueError:
            raise ValueError(
                f"{path}: line {line}: expected a number as value {j + 1} "
                f"of {parts[0]!r}; found {value!r}."
            ) from None


def _read_binary(path, data, header, limit, unicode_errors):
    count, dim, pos = header
    n = count if limit is None else min(count, limit)
    nbytes = 4 * dim
    view = memoryview(data)
    find = data.find
    words, rows, starts = [], [], []
    try:
        for i in range(n):
            space = find(b" ", pos)
            end = space + 1 + nbytes
            if space < 0 or end > len(data):
                raise ValueError(
                    f"{path}: byte {pos}: expected vector {i + 1} of {count} (a "
                    f"word, a space and {nbytes} bytes); the file ends at byte "
                    f"{len(data)}."
                )
            # Google's files put a newline after each vector; gensim's don't.
            word = data[pos:space].lstrip(b"\n")
            if not word:
                raise ValueError(
                    f"{path}: byte {space}: expected a word before the space of "
                    f"vector {i + 1} of {count}; found none."
                )
            starts.append(space - len(word))
            words.append(word.decode("utf-8", unicode_errors))
            rows.append(view[space + 1 : end])
            pos = end
    except UnicodeDecodeError as e:
        raise ValueError(
            f"{path}: byte {starts[-1]}: expected a UTF-8 word for vector "
            f"{len(words) + 1} of {count}; found {word!r} ({e.reason}). Pass "
            "unicode_errors='replace' to read it anyway."
        ) from None
    if n == count and pos < len(data) and not data[pos:].isspace():
        raise ValueError(
            f"{path}: byte {pos}: the header announces {count} vectors; "
            "expected the end of the file."
        )
    vectors = np.frombuffer(bytearray().join(rows), "<f4").reshape(n, dim)
    return words, vectors, lambda i: f"byte {starts[i]}"


def _check_words(path, words, where):
    first = {}
    for i, word in enumerate(words):
        if word in first:
            raise ValueError(
                f"{path}: a word appears more than once; repeated words: "
                f"{repeated_words(words)} ({where(i)} repeats {word!r} from "
                f"{where(first[word])})."
            )
        first[word] = i


def _check_finite(path, words, vectors, where):
    finite = np.isfinite(vectors)
    if finite.all():
        return
    i = int(np.argmin(finite.all(axis=1)))
    j = int(np.argmin(finite[i]))
    raise ValueError(
        f"{path}: {where(i)}: expected finite values; value {j + 1} of "
        f"{words[i]!r} is {vectors[i, j]}. Pass allow_non_finite=True to load "
        "NaN and infinite values."
    )


def _open_for_writing(path):
    for suffix, module in _COMPRESSED.items():
        if str(path).endswith(suffix):
            return module.open(path, "wb")
    return open(path, "wb")


def write_word2vec_format(path, words, vectors, binary, write_header=True):
    """Writes the rows of `vectors` under `words` (see `save_word2vec_format`).

    Args:
        path: output file; gzip- or bzip2-compressed when it ends in `.gz`
            or `.bz2`.
        words: one `str` per row.
        vectors: a 2-D float array.
        binary: `True`/`False`, or `None` to decide by the `.bin` extension.
        write_header: `False` leaves out the `<count> <dim>` line, which
            is GloVe's text format.

    Raises:
        TypeError: `binary` or `write_header` is not a bool (`binary` may be
            None).
        ValueError: a word is empty or holds whitespace, or a binary file
            is asked for without a header (nothing is written).

    Example:

    >>> import os, tempfile
    >>> import numpy as np
    >>> path = os.path.join(tempfile.mkdtemp(), "v.txt")
    >>> write_word2vec_format(path, ["a"], np.array([[1.0, 2.0]]), None)
    >>> with open(path) as f:
    ...     f.read()
    '1 2\\na 1 2\\n'
    """
    binary = infer_binary(path, binary)
    write_header = check_bool("write_header", write_header)
    if binary and not write_header:
        raise ValueError(
            "A binary word2vec file needs its header; received binary=True "
            "with write_header=False. Only text files may leave it out."
        )
    for word in words:
        if not word or any(c.isspace() for c in word):
            raise ValueError(
                "word2vec format cannot store a word that is empty or "
                f"contains whitespace; received {word!r}."
            )
    n, dim = vectors.shape
    with _open_for_writing(path) as f:
        if write_header:
            f.write(f"{n} {dim}\n".encode())
        for word, row in zip(words, vectors, strict=True):
            if binary:
                f.write(word.encode("utf-8") + b" ")
                f.write(row.astype("<f4").tobytes())
                f.write(b"\n")
            else:
                values = " ".join(f"{v:.9g}" for v in row.tolist())
                f.write(f"{word} {values}\n".encode())

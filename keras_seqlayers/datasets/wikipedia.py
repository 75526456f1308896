"""The bundled sample of English Wikipedia: 94 articles in plain prose
(about 340,000 words). See ``README.md`` next to the data file for its
source, licence (CC BY-SA) and how it was cleaned.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import gzip
import importlib.resources
import pathlib

from keras_seqlayers.checks import check_bool, check_choice

__all__ = [
    "WIKIPEDIA_SAMPLE_FILENAME",
    "load_wikipedia_sample",
    "wikipedia_sample_path",
]

WIKIPEDIA_SAMPLE_FILENAME = "wikipedia_sample.txt.gz"

_SPLITS = (None, "train", "test")
_UNITS = ("article", "paragraph")
# Every `_TEST_EVERY`-th article (1-based position in the file) is in "test".
_TEST_EVERY = 10

_file_manager = contextlib.ExitStack()
atexit.register(_file_manager.close)


def _resource():
    return importlib.resources.files(__package__).joinpath(WIKIPEDIA_SAMPLE_FILENAME)


def wikipedia_sample_path() -> pathlib.Path:
    """Returns the path of the bundled Wikipedia sample file.

    The file is gzip-compressed UTF-8 text with one article per line. Fields
    are separated by a TAB: the first field is the article title and every
    further field is one paragraph. Titles and paragraphs contain no TAB or
    newline characters, so ``line.rstrip("\\n").split("\\t")`` parses a line.
    It can be streamed with
    ``tf.data.TextLineDataset(str(path), compression_type="GZIP")``.

    Returns:
        A `pathlib.Path` to ``wikipedia_sample.txt.gz`` inside the installed
        package. When the package is imported from a zip archive, the file is
        extracted to a temporary location that lives until the interpreter
        exits.

    Example:

    >>> import gzip
    >>> from keras_seqlayers.datasets import wikipedia_sample_path
    >>> path = wikipedia_sample_path()
    >>> path.name
    'wikipedia_sample.txt.gz'
    >>> with gzip.open(path, "rt", encoding="utf-8") as f:
    ...     title, *paragraphs = f.readline().rstrip("\\n").split("\\t")
    >>> title
    'Anarchism'

    Reference:
        Wikipedia contributors, English Wikipedia, licensed under
        [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/),
        taken from the test data of [gensim](https://radimrehurek.com/gensim/).
    """
    resource = _resource()
    if isinstance(resource, pathlib.Path):
        return resource
    return _file_manager.enter_context(importlib.resources.as_file(resource))


@functools.lru_cache(maxsize=1)
def _read_wikipedia_sample() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Parses the data file once; returns ``(title, paragraphs)`` pairs."""
    resource = _resource()
    articles = []
    with (
        resource.open("rb") as raw,
        gzip.open(raw, "rt", encoding="utf-8", newline="\n") as lines,
    ):
        for line in lines:
            line = line.rstrip("\n")
            if not line:
                continue
            title, *paragraphs = line.split("\t")
            articles.append((title, tuple(paragraphs)))
    return tuple(articles)


def load_wikipedia_sample(
    split: str | None = None,
    *,
    titles: bool = False,
    unit: str = "article",
) -> list[str] | list[tuple[str, str]]:
    """Loads the bundled sample of English Wikipedia articles as plain prose.

    The corpus holds 94 articles (about 4,400 paragraphs and 340,000 words)
    from the start of an English Wikipedia dump ("Anarchism", "Autism",
    "Albedo", ...). Wiki markup, tables, lists, captions, references and
    sentences damaged by markup removal were dropped; what remains keeps its
    case and punctuation. It needs no network access, which makes it suited
    to examples, tests and quick word-embedding experiments.

    Splits are fixed and disjoint by article: every 10th article in file
    order goes to ``"test"`` and the others to ``"train"``, so the
    paragraphs of one article never land in both.

    Args:
        split: Which articles to return: `None` (default) for all of them,
            `"train"` (about 90%) or `"test"` (about 10%).
        titles: If `True`, return `(title, text)` pairs instead of bare
            strings. Defaults to `False`.
        unit: What one returned document is. `"article"` (default): a whole
            article, its paragraphs joined by `"\\n"`. `"paragraph"`: one
            paragraph, with no newline in it.

    Returns:
        A new list of `str` documents in file order, or of `(title, text)`
        tuples when `titles=True`.

    Raises:
        ValueError: If `split` or `unit` is not one of the allowed values.
        TypeError: If `titles` is not a bool.

    Example:

    >>> from keras_seqlayers.datasets import load_wikipedia_sample
    >>> train = load_wikipedia_sample("train")
    >>> test = load_wikipedia_sample("test")
    >>> len(train) + len(test) == len(load_wikipedia_sample())
    True
    >>> title, text = load_wikipedia_sample(titles=True)[0]
    >>> title
    'Anarchism'
    >>> text.startswith("Anarchism is a political philosophy")
    True
    >>> paragraphs = load_wikipedia_sample("test", unit="paragraph")
    >>> any("\\n" in p for p in paragraphs)
    False

    Reference:
        Wikipedia contributors, English Wikipedia (text licensed under
        [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/)),
        as shipped in the test data of
        [gensim](https://radimrehurek.com/gensim/) 4.4.0
        (``enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened``).
    """
    check_choice("split", split, _SPLITS)
    titles = check_bool("titles", titles)
    check_choice("unit", unit, _UNITS)

    documents = []
    for position, (title, paragraphs) in enumerate(_read_wikipedia_sample(), 1):
        in_test = position % _TEST_EVERY == 0
        if (split == "train" and in_test) or (split == "test" and not in_test):
            continue
        texts = paragraphs if unit == "paragraph" else ("\n".join(paragraphs),)
        for text in texts:
            documents.append((title, text) if titles else text)
    return documents

"""Rebuild ``keras_seqlayers/datasets/wikipedia_sample.txt.gz``.

One-off maintenance script; it is not part of the installed package.

Source: the shortened English Wikipedia dump that ships inside the gensim
wheel (gensim 4.4.0) as test data::

    gensim/test/test_data/
        enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2

Wikipedia text is licensed CC BY-SA (see keras_seqlayers/datasets/README.md).

What the script does:

1. Reads the pages with ``gensim.corpora.wikicorpus.extract_pages``.
2. Drops redirects, disambiguation pages, ``List of ...`` pages and pages
   that say they "may refer to" several things.
3. Removes image/file captions, galleries, tables and templates from the raw
   wikitext with a bracket-balanced scanner (gensim's regular expressions
   turn captions and table cells into loose text), then runs gensim's
   ``filter_wiki`` for links, references, comments and the remaining markup.
4. Keeps only body prose: stops at "See also", "References", "Notes",
   "Further reading", "External links" and similar end sections; drops
   headings, list items, indented lines and table debris.
5. Splits each paragraph into sentences and drops every sentence that still
   shows markup or a hole left by a removed template (for example
   "At , Alabama has ..." where a unit conversion used to be).
6. Keeps paragraphs of at least ``MIN_PARAGRAPH_WORDS`` words that are mostly
   letters, and articles of at least ``MIN_ARTICLE_WORDS`` words.

Output format (UTF-8, gzip with a fixed timestamp so rebuilds are
byte-identical): one article per line, fields separated by TAB; the first
field is the title, every further field is one paragraph. Titles and
paragraphs never contain TAB or newline characters.

Usage::

    python tools/build_wikipedia_sample.py            # writes the data file
    python tools/build_wikipedia_sample.py --show 3   # also prints samples
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import io
import pathlib
import re
import sys

import gensim
from gensim.corpora.wikicorpus import extract_pages, filter_wiki

SOURCE_NAME = "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
OUTPUT = (
    pathlib.Path(__file__).resolve().parents[1]
    / "keras_seqlayers"
    / "datasets"
    / "wikipedia_sample.txt.gz"
)
MIN_PARAGRAPH_WORDS = 15
MIN_ARTICLE_WORDS = 150
MIN_LETTER_FRACTION = 0.8
MAX_UNCOMPRESSED_BYTES = 5_000_000
MAX_COMPRESSED_BYTES = 2_000_000

END_SECTIONS = {
    "see also",
    "references",
    "notes",
    "notes and references",
    "footnotes",
    "citations",
    "sources",
    "bibliography",
    "further reading",
    "external links",
    "works cited",
    "selected bibliography",
    "primary sources",
    "secondary sources",
    "works",
    "selected works",
    "filmography",
    "discography",
}

# Abbreviations after which a period does not end a sentence.
# fmt: off
_ABBREVIATIONS = [
    "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "vs", "ca", "c", "No", "vol", "pp",
    "ed", "Gen", "Col", "Lt", "Mt", "Ft", "Inc", "Co", "e.g", "i.e", "approx",
    "Prof", "Rev", "Gov", "Sen", "Rep", "Capt", "Sgt", "Fig",
]
# fmt: on
_NOT_AN_END = "".join(rf"(?<!\b{re.escape(a)}\.)" for a in _ABBREVIATIONS)
_SENTENCE_END = re.compile(
    _NOT_AN_END + r"(?<!\b[A-Z]\.)" + r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(]?[A-Z0-9])"
)
_HEADING = re.compile(r"^\s*(=+)\s*(.*?)\s*\1\s*$")
_BAD_CHARS = re.compile(r"[\[\]{}|<>=*#_\\~^@$%&/]|https?:|www\.|\.(?:com|org)\b")
_GAP = re.compile(
    r"\w {2,}\w"  # a word removed between two words
    r"|\s[,.;:!?]"  # punctuation after a removed word
    r"|\(\s*\)"  # empty parentheses
    r"|\(\s*[,;:]"  # "( , ..."
    r"|\(\s|\s\)|\"\""  # padded parentheses, emptied quotes
    r"|[,;:(]\s*$"  # dangling at sentence end
    r"|^\s*[,.;:)]"  # dangling at sentence start
    r"|\b(?:the|an|of|to|and|at|in|from|by|is|was|about|some)\s*[.,;:]"
    r"|\d\s*(?:or|to|and)\s*\.",
    re.IGNORECASE,
)
_MISSING_SPACE = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")


def _skip_balanced(text: str, start: int, open_: str, close: str) -> int:
    """Returns the index just past the construct that opens at ``start``."""
    depth = 0
    i = start
    n = len(text)
    while i < n:
        if text.startswith(open_, i):
            depth += 1
            i += len(open_)
        elif text.startswith(close, i):
            depth -= 1
            i += len(close)
            if depth == 0:
                return i
        else:
            i += 1
    return n


_FILE_LINK = re.compile(r"\[\[\s*(?:file|image|media)\s*:", re.IGNORECASE)
_GALLERY = re.compile(r"<gallery[^>]*>.*?</gallery>", re.IGNORECASE | re.DOTALL)
_BLOCK_TAGS = re.compile(
    r"<(math|chem|code|pre|syntaxhighlight|source|score|timeline|imagemap|poem)"
    r"\b[^>]*>.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)
_SELF_CLOSING_REF = re.compile(r"<ref[^>]*/>", re.IGNORECASE)
_REF = re.compile(r"<ref[^>]*>.*?</ref\s*>", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

# Stands in for removed inline content; a sentence that still holds it has a
# hole (e.g. "some {{convert|70|mi|km}} south" -> "some HOLE south").
HOLE = "\ue000"
# Templates that render nothing (citations, maintenance tags, hatnotes):
# removing them leaves no hole.
# fmt: off
_SILENT_TEMPLATES = {
    "citation needed", "cn", "fact", "clarify", "when", "who", "which", "by whom",
    "according to whom", "dubious", "page needed", "full citation needed",
    "verify source", "better source", "failed verification", "vague", "r", "rp",
    "main", "main article", "see also", "further", "anchor", "clear", "-", "toc",
    "reflist", "portal", "commons", "wiktionary", "sister project links",
    "use dmy dates", "use mdy dates", "good article", "featured article",
    "redirect", "other uses", "about", "distinguish", "for", "hatnote",
    "short description",
}
_SILENT_PREFIXES = (
    "cite", "citation", "sfn", "harv", "efn", "refn", "#tag", "infobox", "update",
    "as of", "pp-", "use ", "redirect", "other ", "multiple issues",
)
# fmt: on


def strip_raw(text: str) -> str:
    """Removes captions, tables, templates and tagged blocks from wikitext."""
    text = _COMMENT.sub("", text)
    text = _SELF_CLOSING_REF.sub("", text)
    text = _REF.sub("", text)
    text = _GALLERY.sub("", text)
    text = _BLOCK_TAGS.sub(HOLE, text)
    out = []
    i = 0
    n = len(text)
    while i < n:
        if text.startswith("{{", i):
            end = _skip_balanced(text, i, "{{", "}}")
            name = re.split(r"[|}\n]", text[i + 2 : end], maxsplit=1)[0]
            name = name.strip().lower().replace("_", " ")
            if name not in _SILENT_TEMPLATES and not name.startswith(_SILENT_PREFIXES):
                out.append(HOLE)
            i = end
        elif text.startswith("{|", i):
            i = _skip_balanced(text, i, "{|", "|}")
        elif text.startswith("[[", i) and _FILE_LINK.match(text, i):
            i = _skip_balanced(text, i, "[[", "]]")
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def split_sentences(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(paragraph) if s]


def clean_sentence(sentence: str) -> str | None:
    """Returns the sentence tidied, or None when it is not clean prose."""
    s = sentence.strip()
    if not s or HOLE in s or _BAD_CHARS.search(s) or _GAP.search(s):
        return None
    if s.count("(") != s.count(")") or s.count('"') % 2:
        return None
    if not re.search(r"[.!?][\"')]?$", s):
        return None
    if not re.match(r"[\"'(]?[A-Z0-9]", s):
        return None
    return re.sub(r"\s+", " ", s)


def clean_paragraph(paragraph: str) -> str | None:
    paragraph = paragraph.replace("'''", "").replace("''", "")
    paragraph = _MISSING_SPACE.sub(" ", paragraph)
    # Parentheses emptied by removed pronunciation or date templates.
    paragraph = re.sub(rf"\s*\((?:[\s,;]|{HOLE})*\)", "", paragraph)
    paragraph = re.sub(rf"\((?:\s|{HOLE})*[,;]\s*", "(", paragraph)
    paragraph = re.sub(rf"\s*[,;](?:\s|{HOLE})*\)", ")", paragraph)
    paragraph = re.sub(r"[\t\u00a0]", " ", paragraph)
    paragraph = paragraph.strip(f" {HOLE}")
    sentences = [clean_sentence(s) for s in split_sentences(paragraph)]
    kept = " ".join(s for s in sentences if s)
    if len(kept.split()) < MIN_PARAGRAPH_WORDS:
        return None
    visible = [c for c in kept if not c.isspace()]
    letters = sum(c.isalpha() for c in visible)
    if letters < MIN_LETTER_FRACTION * len(visible):
        return None
    return kept


def article_paragraphs(raw: str) -> list[str]:
    text = filter_wiki(strip_raw(raw))
    paragraphs = []
    for line in text.split("\n"):
        heading = _HEADING.match(line)
        if heading:
            if heading.group(2).strip().lower() in END_SECTIONS:
                break
            continue
        if not line.strip() or line.lstrip()[0] in "*#:;|!{}+-=":
            continue
        kept = clean_paragraph(line)
        if kept:
            paragraphs.append(kept)
    return paragraphs


def is_article(title: str, raw: str) -> bool:
    head = raw.lstrip()[:200].lower()
    return not (
        head.startswith("#redirect")
        or "(disambiguation)" in title.lower()
        or title.startswith("List of ")
        or ":" in title
        or "may refer to" in raw[:3000].lower()
        or "{{disambig" in raw.lower()
    )


def build(source: pathlib.Path) -> list[tuple[str, list[str]]]:
    articles = []
    with bz2.open(source, "rb") as handle:
        for title, raw, _ in extract_pages(handle):
            if not is_article(title, raw):
                continue
            paragraphs = article_paragraphs(raw)
            if sum(len(p.split()) for p in paragraphs) >= MIN_ARTICLE_WORDS:
                articles.append((title, paragraphs))
    return articles


def serialize(articles: list[tuple[str, list[str]]]) -> bytes:
    lines = []
    for title, paragraphs in articles:
        fields = [title, *paragraphs]
        assert all("\t" not in f and "\n" not in f for f in fields)
        lines.append("\t".join(fields) + "\n")
    return "".join(lines).encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_source = (
        pathlib.Path(gensim.__file__).parent / "test" / "test_data" / SOURCE_NAME
    )
    parser.add_argument("--source", type=pathlib.Path, default=default_source)
    parser.add_argument("--output", type=pathlib.Path, default=OUTPUT)
    parser.add_argument("--show", type=int, default=0, help="print N samples")
    args = parser.parse_args(argv)

    articles = build(args.source)
    data = serialize(articles)
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(data)
    compressed = buffer.getvalue()
    if len(data) > MAX_UNCOMPRESSED_BYTES or len(compressed) > MAX_COMPRESSED_BYTES:
        print("output too large", len(data), len(compressed), file=sys.stderr)
        return 1
    args.output.write_bytes(compressed)

    n_paragraphs = sum(len(p) for _, p in articles)
    n_tokens = sum(len(x.split()) for _, p in articles for x in p)
    print(f"gensim {gensim.__version__}, source {args.source.name}")
    print(f"wrote {args.output}")
    print(f"articles: {len(articles)}, paragraphs: {n_paragraphs}")
    print(f"whitespace tokens: {n_tokens}")
    print(f"bytes: {len(data)} uncompressed, {len(compressed)} compressed")
    for title, paragraphs in articles[: args.show]:
        print(f"\n== {title} ==")
        for paragraph in paragraphs[:3]:
            print(paragraph, end="\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

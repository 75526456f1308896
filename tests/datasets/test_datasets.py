"""Tests for the bundled offline corpora in `keras_seqlayers.datasets`."""

import gzip
import pathlib
import re

import pytest

from keras_seqlayers import datasets
from keras_seqlayers.datasets import load_wikipedia_sample, wikipedia_sample_path

MARKUP = re.compile(
    r"\[\[|\]\]|\{\{|\}\}|\{\||\|\}|<ref|</|/>|&nbsp;|&amp;|'''|''"
    r"|==|^\s*[*#:;|!]|https?://|\bthumb\||\d+px\b|Category:|File:|Image:",
    re.MULTILINE,
)


@pytest.fixture(scope="module")
def articles():
    return load_wikipedia_sample(titles=True)


def test_path_points_at_a_gzip_file():
    path = wikipedia_sample_path()
    assert isinstance(path, pathlib.Path)
    assert path.name == datasets.WIKIPEDIA_SAMPLE_FILENAME
    assert path.is_file()
    with path.open("rb") as f:
        assert f.read(2) == b"\x1f\x8b"  # gzip magic number


def test_file_format_is_title_tab_paragraphs():
    with gzip.open(wikipedia_sample_path(), "rt", encoding="utf-8") as f:
        lines = f.read().split("\n")
    assert lines[-1] == ""  # ends with a newline
    rows = [line.split("\t") for line in lines[:-1]]
    assert all(len(row) >= 2 for row in rows)
    assert all(field.strip() == field and field for row in rows for field in row)
    assert [row[0] for row in rows] == [
        t for t, _ in load_wikipedia_sample(titles=True)
    ]


def test_sizes_stay_small():
    path = wikipedia_sample_path()
    assert path.stat().st_size <= 2_000_000
    with gzip.open(path, "rb") as f:
        assert len(f.read()) <= 5_000_000


def test_many_nonempty_string_documents(articles):
    docs = load_wikipedia_sample()
    assert len(docs) >= 50
    assert all(isinstance(d, str) and d.strip() for d in docs)
    assert docs == [text for _, text in articles]
    words = sum(len(d.split()) for d in docs)
    assert words >= 100_000


def test_titles_are_unique_nonempty_strings(articles):
    titles = [t for t, _ in articles]
    assert all(isinstance(t, str) and t.strip() == t and t for t in titles)
    assert len(set(titles)) == len(titles)
    assert all(isinstance(pair, tuple) and len(pair) == 2 for pair in articles)


def test_no_wiki_markup_remains(articles):
    for title, text in articles:
        match = MARKUP.search(text)
        assert match is None, (title, text[max(0, match.start() - 60) :][:160])
        assert "\t" not in text
        assert "\ue000" not in text  # build-time placeholder for removed content


def test_text_is_mostly_letters(articles):
    for title, text in articles:
        visible = [c for c in text if not c.isspace()]
        letters = sum(c.isalpha() for c in visible)
        assert letters >= 0.8 * len(visible), title


def test_paragraphs_are_sentences_with_case_and_punctuation():
    paragraphs = load_wikipedia_sample(unit="paragraph")
    assert len(paragraphs) > len(load_wikipedia_sample())
    for paragraph in paragraphs:
        assert "\n" not in paragraph
        assert paragraph[0].isupper() or paragraph[0] in "0123456789\"'(", paragraph
        assert paragraph.rstrip("\"')")[-1] in ".!?", paragraph
        assert "  " not in paragraph
    text = " ".join(paragraphs)
    # Real English prose: common function words, mixed case, commas.
    words = re.findall(r"[A-Za-z]+", text)
    lower = [w.lower() for w in words]
    for word in ("the", "of", "and", "in", "is", "was"):
        assert lower.count(word) > 100, word
    assert sum(w[0].isupper() for w in words) > 0.05 * len(words)
    assert text.count(",") > 1000


def test_article_is_its_paragraphs_joined():
    by_article = load_wikipedia_sample()
    by_paragraph = load_wikipedia_sample(unit="paragraph")
    assert [p for doc in by_article for p in doc.split("\n")] == by_paragraph


def test_paragraph_titles_follow_articles():
    pairs = load_wikipedia_sample(titles=True, unit="paragraph")
    article_titles = [t for t, _ in load_wikipedia_sample(titles=True)]
    assert list(dict.fromkeys(t for t, _ in pairs)) == article_titles


def test_no_redirects_or_disambiguation_pages(articles):
    for title, text in articles:
        assert "(disambiguation)" not in title
        assert not title.startswith("List of ")
        assert not text.upper().startswith("#REDIRECT")
        assert "may refer to" not in text[:500]
        assert len(text.split()) >= 150, title


@pytest.mark.parametrize("unit", ["article", "paragraph"])
def test_splits_partition_the_corpus(unit):
    everything = load_wikipedia_sample(titles=True, unit=unit)
    train = load_wikipedia_sample("train", titles=True, unit=unit)
    test = load_wikipedia_sample("test", titles=True, unit=unit)
    assert train
    assert test
    assert len(test) < len(train)
    assert sorted(train + test) == sorted(everything)
    train_titles = {t for t, _ in train}
    test_titles = {t for t, _ in test}
    assert not train_titles & test_titles


def test_test_split_is_about_a_tenth():
    n_all = len(load_wikipedia_sample())
    n_test = len(load_wikipedia_sample("test"))
    assert n_test == n_all // 10


def test_returns_a_fresh_list_each_call():
    first = load_wikipedia_sample()
    first.clear()
    assert load_wikipedia_sample()


@pytest.mark.parametrize("split", ["validation", "TRAIN", "", 0, "all"])
def test_bad_split_raises(split):
    with pytest.raises(ValueError, match=r"`split` must be one of") as info:
        load_wikipedia_sample(split)
    message = str(info.value)
    assert repr(split) in message
    assert "'train'" in message
    assert "'test'" in message


@pytest.mark.parametrize("unit", ["sentence", "articles", None])
def test_bad_unit_raises(unit):
    with pytest.raises(ValueError, match=r"`unit` must be one of") as info:
        load_wikipedia_sample(unit=unit)
    message = str(info.value)
    assert repr(unit) in message
    assert "'article'" in message
    assert "'paragraph'" in message


@pytest.mark.parametrize("titles", ["yes", 1, None])
def test_bad_titles_raises(titles):
    with pytest.raises(
        TypeError,
        match=r"`titles` must be True or False.*"
        rf"titles={re.escape(repr(titles))}",
    ):
        load_wikipedia_sample(titles=titles)


def test_readme_is_shipped_next_to_the_data():
    readme = wikipedia_sample_path().with_name("README.md")
    text = readme.read_text(encoding="utf-8")
    assert "CC BY-SA" in text
    assert datasets.WIKIPEDIA_SAMPLE_FILENAME in text

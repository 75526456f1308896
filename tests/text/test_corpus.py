"""Corpora in text files: LineCorpus, and Vocabulary reading files streamed."""

import bz2
import collections
import gzip
import pathlib

import numpy as np
import pytest
import tensorflow as tf

from keras_seqlayers.text import (
    LineCorpus,
    Tokenizer,
    Vocabulary,
    cooccurrence,
    is_corpus_path,
    skipgram_dataset,
)
from keras_seqlayers.text import vocabulary as vocabulary_module

# Upper case, a Windows line end, an empty line, non-ASCII letters and a
# last line without its line end.
TEXT = "The cat sat\r\non the MAT\n\nthe dog  sat\ncafé au lait the cat\nDog"


def _lines(text):
    """The lines of `text` as TextLineDataset splits them: at "\\n", one
    "\\r" before it removed, no empty line after a final "\\n"."""
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


def _tokens(text):
    """The default tokenizer's tokens (lower case, split at whitespace)."""
    return [line.lower().split() for line in _lines(text)]


def _write(path, text):
    data = text.encode("utf-8")
    if path.suffix == ".gz":
        with gzip.open(path, "wb") as f:
            f.write(data)
    elif path.suffix == ".bz2":
        with bz2.open(path, "wb") as f:
            f.write(data)
    else:
        path.write_bytes(data)
    return path


def _counts(token_lists):
    """`(word, count)` by descending count, ties in first-appearance order."""
    counter = collections.Counter(t for tokens in token_lists for t in tokens)
    return sorted(counter.items(), key=lambda wc: -wc[1])


@pytest.mark.parametrize("name", ["corpus.txt", "corpus.txt.gz", "corpus.bz2"])
def test_a_file_reads_as_its_lines_in_memory(tmp_path, name):
    path = _write(tmp_path / name, TEXT)
    expected = _tokens(TEXT)
    assert expected[2] == []  # the empty line is a document without tokens
    corpus = LineCorpus(path)
    assert list(corpus) == expected
    # Each iteration reads the file again.
    assert list(corpus) == expected
    assert [line.decode() for line in corpus.lines().as_numpy_iterator()] == (
        _lines(TEXT)
    )

    vocab = Vocabulary.build(path)
    in_memory = Vocabulary.build(_lines(TEXT))
    assert vocab.words[3:] == [w for w, _ in _counts(expected)]
    assert vocab.counts[3:].tolist() == [c for _, c in _counts(expected)]
    assert vocab.words == in_memory.words
    np.testing.assert_array_equal(vocab.counts, in_memory.counts)

    ids = [[vocab.token_to_id(t) for t in tokens] for tokens in expected]
    assert vocab.encode(path) == ids
    assert vocab.encode(str(path), add_eos=True) == [[*s, 2] for s in ids]
    streamed = vocab.encode_dataset(path)
    assert streamed.element_spec == tf.TensorSpec([None], tf.int64)
    assert [s.tolist() for s in streamed.as_numpy_iterator()] == ids
    with_eos = vocab.encode_dataset(corpus, add_eos=True).as_numpy_iterator()
    assert [s.tolist() for s in with_eos] == [[*s, 2] for s in ids]


def test_a_bz2_file_longer_than_one_chunk(tmp_path):
    text = "".join(f"w{i % 7} w{i % 5} x\r\n" for i in range(2500))
    path = _write(tmp_path / "long.txt.bz2", text)
    assert list(LineCorpus(path)) == _tokens(text)
    assert Vocabulary.build(path).words == Vocabulary.build(_lines(text)).words


def test_several_files_are_read_in_order(tmp_path):
    texts = ["a b\nc\n", "d a\n", "e e\nf", "b\n"]
    paths = [
        _write(tmp_path / name, text)
        for name, text in zip(
            ["z.txt", "y.txt.gz", "x.bz2", "w.txt"], texts, strict=True
        )
    ]
    expected = [tokens for text in texts for tokens in _tokens(text)]
    assert list(LineCorpus(paths)) == expected
    assert list(LineCorpus([str(p) for p in paths])) == expected
    # A list of paths as os.PathLike names files wherever a corpus goes.
    assert is_corpus_path(paths)
    vocab = Vocabulary.build(paths)
    assert vocab.words == Vocabulary.build(expected).words
    assert vocab.encode(paths) == vocab.encode(expected)


def test_a_glob_reads_its_matches_in_sorted_order(tmp_path):
    _write(tmp_path / "b.txt", "two\n")
    _write(tmp_path / "a.txt", "one\n")
    _write(tmp_path / "c.txt.gz", "three\n")
    (tmp_path / "sub.txt").mkdir()  # a directory that matches is skipped
    _write(tmp_path / "notes.md", "never\n")
    corpus = LineCorpus(str(tmp_path / "*.txt*"))
    names = [pathlib.Path(p).name for p in corpus.paths]
    assert names == ["a.txt", "b.txt", "c.txt.gz"]
    assert list(corpus) == [["one"], ["two"], ["three"]]
    assert Vocabulary.build(str(tmp_path / "*.txt")).words[3:] == ["one", "two"]
    both = LineCorpus([str(tmp_path / "notes.md"), str(tmp_path / "[ab].txt")])
    assert list(both) == [["never"], ["one"], ["two"]]


def test_counting_across_batches_keeps_first_appearance_order(tmp_path, monkeypatch):
    # Ties are broken by first appearance over the whole corpus, also when
    # the tied words first appear in different batches.
    monkeypatch.setattr(vocabulary_module, "STREAM_BATCH_LINES", 2)
    text = "c a\nb\nd c\na b d\ne\ne e f\n"
    path = _write(tmp_path / "ties.txt", text)
    vocab = Vocabulary.build(path)
    assert vocab.words[3:] == ["e", "c", "a", "b", "d", "f"]
    assert vocab.words[3:] == [w for w, _ in _counts(_tokens(text))]
    assert [s.tolist() for s in vocab.encode_dataset(path).as_numpy_iterator()] == (
        vocab.encode(_lines(text))
    )


def test_the_streamed_ids_feed_skipgram_dataset(tmp_path):
    path = _write(tmp_path / "c.txt", TEXT)
    vocab = Vocabulary.build(path)
    options = {"window": 2, "sample": 0, "shrink_windows": False, "shuffle": False}
    streamed = skipgram_dataset(vocab.encode_dataset(path), vocab.counts, **options)
    in_memory = skipgram_dataset(vocab.encode(_lines(TEXT)), vocab.counts, **options)
    pairs = [np.stack(b, axis=1).tolist() for b in streamed.as_numpy_iterator()]
    expected = [np.stack(b, axis=1).tolist() for b in in_memory.as_numpy_iterator()]
    assert pairs == expected


def test_batches_of_streamed_ids_feed_cooccurrence(tmp_path):
    path = _write(tmp_path / "c.txt.gz", TEXT)
    vocab = Vocabulary.build(path)
    ids = vocab.encode(_lines(TEXT), add_eos=True)
    batches = vocab.encode_dataset(path, add_eos=True, batch_size=4)
    assert [b.to_list() for b in batches] == [ids[:4], ids[4:]]
    streamed = cooccurrence(batches, len(vocab), window=3, verbose=0)
    in_memory = cooccurrence(ids, len(vocab), window=3, verbose=0)
    np.testing.assert_array_equal(streamed.to_dense(), in_memory.to_dense())
    with pytest.raises(ValueError, match="`batch_size` must be an integer >= 1"):
        vocab.encode_dataset(path, batch_size=0)


def test_the_corpus_tokenizer_is_used_and_checked(tmp_path):
    path = _write(tmp_path / "c.txt", "Don't STOP\n")
    words = Tokenizer(lowercase=False, split="words")
    corpus = LineCorpus(path, tokenizer=words)
    assert list(corpus) == [["Don", "t", "STOP"]]
    vocab = Vocabulary.build(corpus)
    assert vocab.tokenizer is words
    assert vocab.words[3:] == ["Don", "t", "STOP"]
    assert Vocabulary.build(corpus, tokenizer=Tokenizer(False, "words")).words == (
        vocab.words
    )
    # A path alone is read with the reader's tokenizer.
    assert Vocabulary.build(path, tokenizer=words).words == vocab.words
    assert Vocabulary.build(path).words[3:] == ["don't", "stop"]
    assert vocab.encode(path) == [[3, 4, 5]]
    with pytest.raises(ValueError, match=r"tokenizer=Tokenizer\(lowercase=True"):
        Vocabulary.build(corpus, tokenizer=Tokenizer())
    with pytest.raises(ValueError, match="splits its lines with"):
        Vocabulary.build(["a"]).encode(corpus)
    with pytest.raises(ValueError, match="splits its lines with"):
        Vocabulary.build(["a"]).encode_dataset(corpus)


def test_is_corpus_path():
    assert is_corpus_path("any text at all")
    assert is_corpus_path(pathlib.Path("c.txt"))
    assert is_corpus_path((pathlib.Path("a.txt"), pathlib.Path("b.txt")))
    assert not is_corpus_path(["c.txt"])  # a list of str is documents
    assert not is_corpus_path([pathlib.Path("a.txt"), "b.txt"])
    assert not is_corpus_path([])
    assert not is_corpus_path(b"c.txt")
    assert not is_corpus_path(tf.data.Dataset.from_tensor_slices(["a"]))


@pytest.mark.parametrize(
    ("paths", "error", "match"),
    [
        ("missing.txt", FileNotFoundError, r"No corpus file at '.*missing.txt'"),
        ("the cat sat", FileNotFoundError, r"give a list of documents such as"),
        ("*.nothing", FileNotFoundError, r"glob pattern '.*\*.nothing' matches no"),
        (".", IsADirectoryError, r"corpus path '.*' is a directory"),
        ([], TypeError, r"`paths` must be a file path or glob pattern.*paths=\[\]"),
        (3, TypeError, r"`paths` must be .*paths=3 of type int"),
        (["a.txt", 3], TypeError, r"`paths` must hold .*3 of type int at paths\[1\]"),
    ],
)
def test_bad_paths(tmp_path, monkeypatch, paths, error, match):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "a.txt", "a\n")
    with pytest.raises(error, match=match):
        LineCorpus(paths)


def test_bad_paths_through_vocabulary(tmp_path):
    missing = tmp_path / "missing.txt.gz"
    with pytest.raises(FileNotFoundError, match=r"missing\.txt\.gz"):
        Vocabulary.build(missing)
    with pytest.raises(FileNotFoundError, match=r"missing\.txt\.gz"):
        Vocabulary.build(["a"]).encode(str(missing))
    with pytest.raises(FileNotFoundError, match=r"\*.gz' matches no file"):
        Vocabulary.build(["a"]).encode_dataset(str(tmp_path / "*.gz"))
    empty = _write(tmp_path / "empty.txt", "\n\n")
    with pytest.raises(ValueError, match=r"corpus is empty.*read from \[.*empty.txt"):
        Vocabulary.build(empty)


def test_bad_arguments():
    with pytest.raises(TypeError, match=r"`tokenizer` must be .*received tokenizer="):
        LineCorpus(".", tokenizer="words")
    with pytest.raises(TypeError, match=r"`corpus` must be text files .*list"):
        Vocabulary.build(["a"]).encode_dataset(["a b"])
    with pytest.raises(TypeError, match=r"corpus must yield string tensors"):
        Vocabulary.build(["a"]).encode_dataset(tf.data.Dataset.range(3))


def test_token_batches_checks_batch_size(tmp_path):
    corpus = LineCorpus(_write(tmp_path / "c.txt", "a b\nc\n"))
    batches = [b.to_list() for b in corpus.token_batches(batch_size=1)]
    assert batches == [[[b"a", b"b"]], [[b"c"]]]
    with pytest.raises(ValueError, match="`batch_size` must be an integer >= 1"):
        corpus.token_batches(batch_size=0)
    assert repr(corpus).startswith("LineCorpus(paths=['")

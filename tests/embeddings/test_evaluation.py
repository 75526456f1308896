from pathlib import Path

import numpy as np
import pytest

from keras_seqlayers.embeddings import (
    WordVectors,
    evaluate_word_analogies,
    evaluate_word_pairs,
    export_projector,
)

WORDS = [
    "king",
    "queen",
    "man",
    "woman",
    "paris",
    "france",
    "rome",
    "italy",
    "King",
    "boy",
    "girl",
    "x",
    "y",
]


def _vectors(seed=0):
    rng = np.random.default_rng(seed)
    vecs = rng.normal(size=(len(WORDS), 6)).astype("float32")
    # Make king - man + woman ~ queen and paris - france + italy ~ rome.
    vecs[1] = vecs[0] - vecs[2] + vecs[3] + 0.01
    vecs[6] = vecs[4] - vecs[5] + vecs[7] + 0.01
    return WordVectors(WORDS, vecs)


ANALOGIES = """: family
man woman king queen
man woman boy girl
man woman king unknownword
: capitals
france paris italy rome
paris france rome italy
"""

PAIRS = """# comment line
king\tqueen\t8.5
man\twoman\t8.3
paris\trome\t6.0
king\tx\t1.0
boy\tgirl\t7.0
y\tx\t0.5
queen\tnope\t3.0
 man\tqueen\t5.0
boy\tqueen\t4.0\t
"""


def test_analogies_agree_with_gensim(tmp_path):
    gensim_models = pytest.importorskip("gensim.models")
    path = tmp_path / "q.txt"
    path.write_text(ANALOGIES)
    wv = _vectors()
    kv = gensim_models.KeyedVectors(vector_size=6)
    kv.add_vectors(wv.words, wv.vectors)
    for restrict in (300000, 9, None):
        acc, sections, oov = evaluate_word_analogies(wv, path, restrict_vocab=restrict)
        g_acc, g_sections = kv.evaluate_word_analogies(
            str(path), restrict_vocab=restrict
        )
        assert acc == pytest.approx(g_acc)
        for ours, theirs in zip(sections, g_sections, strict=True):
            assert ours["section"] == theirs["section"]
            assert ours["correct"] == theirs["correct"]
            assert ours["incorrect"] == theirs["incorrect"]
    _, _, oov = evaluate_word_analogies(wv, path)
    assert oov == pytest.approx(100 * 1 / 5)
    acc, _, _ = evaluate_word_analogies(wv, path, dummy4unknown=True)
    g_acc, _ = kv.evaluate_word_analogies(str(path), dummy4unknown=True)
    assert acc == pytest.approx(g_acc)


def test_word_pairs_agree_with_gensim_and_scipy(tmp_path):
    gensim_models = pytest.importorskip("gensim.models")
    stats = pytest.importorskip("scipy.stats")
    path = tmp_path / "pairs.tsv"
    path.write_text(PAIRS)
    wv = _vectors(1)
    kv = gensim_models.KeyedVectors(vector_size=6)
    kv.add_vectors(wv.words, wv.vectors)
    for dummy, restrict in ((False, 300000), (True, 300000), (False, None)):
        pearson, spearman, oov = evaluate_word_pairs(
            wv, path, dummy4unknown=dummy, restrict_vocab=restrict
        )
        g_pearson, g_spearman, g_oov = kv.evaluate_word_pairs(
            str(path), dummy4unknown=dummy, restrict_vocab=restrict
        )
        assert pearson == pytest.approx(g_pearson[0], abs=1e-6)
        assert spearman == pytest.approx(g_spearman[0], abs=1e-6)
        assert oov == pytest.approx(g_oov)
    # Ties: our ranks equal scipy's average ranks.
    from keras_seqlayers.embeddings.evaluation import _ranks

    x = [3.0, 1.0, 3.0, 2.0, 1.0]
    np.testing.assert_array_equal(_ranks(x), stats.rankdata(x))


def test_bad_inputs(tmp_path):
    path = tmp_path / "q.txt"
    path.write_text("a b c d\n")
    with pytest.raises(ValueError, match="Missing section header"):
        evaluate_word_analogies(_vectors(), path)
    pairs = tmp_path / "p.tsv"
    pairs.write_text("nope\tnada\t1.0\n")
    with pytest.raises(ValueError, match="fewer than 2 pairs"):
        evaluate_word_pairs(_vectors(), pairs)
    with pytest.raises(TypeError, match="must be a WordVectors"):
        evaluate_word_pairs(np.zeros((2, 2)), pairs)


@pytest.mark.parametrize(
    ("restrict_vocab", "error"),
    [(0, ValueError), (-1, ValueError), (2.5, TypeError), (True, TypeError)],
)
def test_bad_restrict_vocab(tmp_path, restrict_vocab, error):
    questions = tmp_path / "q.txt"
    questions.write_text(ANALOGIES)
    pairs = tmp_path / "p.tsv"
    pairs.write_text(PAIRS)
    match = r"`restrict_vocab` must be an integer >= 1; received restrict_vocab="
    for evaluate, path in (
        (evaluate_word_analogies, questions),
        (evaluate_word_pairs, pairs),
    ):
        with pytest.raises(error, match=match):
            evaluate(_vectors(), path, restrict_vocab=restrict_vocab)


def test_export_projector(tmp_path):
    wv = _vectors()
    vec_path, meta_path = export_projector(tmp_path / "proj", wv)
    rows = [line.split("\t") for line in Path(vec_path).read_text().splitlines()]
    np.testing.assert_allclose(np.array(rows, float), wv.vectors, rtol=1e-5)
    assert Path(meta_path).read_text().splitlines() == WORDS
    _, meta_path = export_projector(
        tmp_path / "p2", wv, metadata={"n": list(range(len(WORDS)))}
    )
    lines = Path(meta_path).read_text().splitlines()
    assert lines[0] == "word\tn"
    assert lines[2] == "queen\t1"
    with pytest.raises(ValueError, match="has 1 values"):
        export_projector(tmp_path / "p3", wv, metadata={"n": [1]})


@pytest.mark.parametrize(
    ("words", "metadata", "where"),
    [
        (["a", "b\tc"], None, "word 1"),
        (["a", "b"], {"tag": ["x", "y\nz"]}, "metadata 'tag' value 1"),
        (["a", "b"], {"t\tag": ["x", "y"]}, "a metadata column name"),
    ],
)
def test_export_projector_refuses_tabs_and_line_breaks(
    tmp_path, words, metadata, where
):
    wv = WordVectors(words, np.eye(2))
    with pytest.raises(
        ValueError, match=rf"cannot hold tabs or line breaks; .* as {where}\."
    ):
        export_projector(tmp_path / "p", wv, metadata=metadata)
    assert not (tmp_path / "p").exists()

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


def _gensim_pair(wv):
    kv = pytest.importorskip("gensim.models").KeyedVectors(vector_size=6)
    kv.add_vectors(wv.words, wv.vectors)
    return kv


def test_analogies_agree_with_gensim(tmp_path):
    path = tmp_path / "q.txt"
    path.write_text(ANALOGIES)
    wv = _vectors()
    kv = _gensim_pair(wv)
    for restrict, dummy in ((300000, False), (9, False), (None, False), (None, True)):
        result = evaluate_word_analogies(
            wv, path, restrict_vocab=restrict, dummy4unknown=dummy
        )
        expected = kv.evaluate_word_analogies(
            str(path), restrict_vocab=restrict, dummy4unknown=dummy
        )
        # gensim's shape: `score, sections = ...`, sections exactly gensim's.
        score, sections = result
        assert score == pytest.approx(expected[0])
        assert sections == expected[1]


def test_analogies_oov_ratio_on_request(tmp_path):
    path = tmp_path / "q.txt"
    path.write_text(ANALOGIES)
    score, sections, oov = evaluate_word_analogies(
        _vectors(), path, return_oov_ratio=True
    )
    assert oov == pytest.approx(100 * 1 / 5)  # "king unknownword" of 5 questions
    assert (score, sections) == evaluate_word_analogies(_vectors(), path)
    with pytest.raises(TypeError, match="`return_oov_ratio` must be True or False"):
        evaluate_word_analogies(_vectors(), path, return_oov_ratio=1)


def _assert_same_pairs_result(ours, theirs):
    (pearson, pearson_p), (spearman, spearman_p), oov = ours
    (g_pearson, g_pearson_p), (g_spearman, g_spearman_p), g_oov = theirs
    assert pearson == pytest.approx(g_pearson, abs=1e-6)
    assert spearman == pytest.approx(g_spearman, abs=1e-6)
    assert pearson_p == pytest.approx(g_pearson_p, rel=1e-4, abs=1e-12)
    assert spearman_p == pytest.approx(g_spearman_p, rel=1e-4, abs=1e-12)
    assert oov == pytest.approx(g_oov)


def test_word_pairs_agree_with_gensim_and_scipy(tmp_path):
    stats = pytest.importorskip("scipy.stats")
    path = tmp_path / "pairs.tsv"
    path.write_text(PAIRS)
    wv = _vectors(1)
    kv = _gensim_pair(wv)
    for dummy, restrict in ((False, 300000), (True, 300000), (False, None)):
        ours = evaluate_word_pairs(
            wv, path, dummy4unknown=dummy, restrict_vocab=restrict
        )
        theirs = kv.evaluate_word_pairs(
            str(path), dummy4unknown=dummy, restrict_vocab=restrict
        )
        _assert_same_pairs_result(ours, theirs)
    # Ties: our ranks equal scipy's average ranks.
    from keras_seqlayers.embeddings.evaluation import _ranks

    x = [3.0, 1.0, 3.0, 2.0, 1.0]
    np.testing.assert_array_equal(_ranks(x), stats.rankdata(x))


def test_word_pairs_results_read_as_scipys(tmp_path):
    path = tmp_path / "pairs.tsv"
    path.write_text(PAIRS)
    pearson, spearman, _ = evaluate_word_pairs(_vectors(1), path)
    assert (pearson.statistic, pearson.pvalue) == tuple(pearson)
    assert (spearman.correlation, spearman.pvalue) == tuple(spearman)
    assert 0.0 <= spearman.pvalue <= 1.0


def test_shipped_evaluation_files_agree_with_gensim():
    gensim_utils = pytest.importorskip("gensim.test.utils")
    kv = pytest.importorskip("gensim.models").KeyedVectors.load_word2vec_format(
        gensim_utils.datapath("lee_fasttext.vec")
    )
    wv = WordVectors.from_gensim(kv)
    for name in ("wordsim353.tsv", "simlex999.txt"):
        for restrict in (300000, 1000):
            path = gensim_utils.datapath(name)
            _assert_same_pairs_result(
                wv.evaluate_word_pairs(path, restrict_vocab=restrict),
                kv.evaluate_word_pairs(path, restrict_vocab=restrict),
            )
    path = gensim_utils.datapath("questions-words.txt")
    score, sections = wv.evaluate_word_analogies(path)
    g_score, g_sections = kv.evaluate_word_analogies(path)
    assert score == pytest.approx(g_score)
    assert sections == g_sections
    assert sum(len(s["correct"]) for s in sections[:-1]) > 0


@pytest.mark.parametrize("n", [3, 4, 5, 10, 45, 353, 999, 20000])
def test_correlation_pvalue_matches_scipy(n):
    stats = pytest.importorskip("scipy.stats")
    from keras_seqlayers.embeddings.evaluation import _correlation_pvalue

    for r in (-0.999, -0.6, -0.05, 0.0, 0.01, 0.3, 0.5, 0.8, 0.99, 0.999999):
        t = abs(r) * np.sqrt((n - 2) / (1 - r * r))
        expected = 2 * stats.t.sf(t, n - 2)
        assert _correlation_pvalue(r, n) == pytest.approx(expected, rel=1e-9)


def test_correlation_pvalue_hand_worked():
    from keras_seqlayers.embeddings.evaluation import _correlation_pvalue

    # 3 pairs: t with 1 degree of freedom is Cauchy, p = 1 - 2 atan(|t|)/pi,
    # with |t| = |r| / sqrt(1 - r^2); r = 0.5 gives t = 1/sqrt(3), p = 2/3.
    assert _correlation_pvalue(0.5, 3) == pytest.approx(2 / 3, rel=1e-12)
    assert _correlation_pvalue(-0.5, 3) == pytest.approx(2 / 3, rel=1e-12)
    # 4 pairs: with 2 degrees of freedom p = 1 - |t| / sqrt(t^2 + 2) = 1 - |r|.
    assert _correlation_pvalue(0.25, 4) == pytest.approx(0.75, rel=1e-12)
    assert _correlation_pvalue(0.0, 50) == 1.0
    assert _correlation_pvalue(1.0, 50) == 0.0
    assert _correlation_pvalue(0.7, 2) == 1.0  # two points always fit a line
    assert np.isnan(_correlation_pvalue(float("nan"), 50))


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

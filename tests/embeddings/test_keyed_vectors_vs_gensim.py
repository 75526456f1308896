"""Every gensim `KeyedVectors` call that `WordVectors` offers gives gensim's
answer on the same words and vectors."""

import numpy as np
import pytest

from keras_seqlayers.embeddings import WordVectors

KeyedVectors = pytest.importorskip("gensim.models").KeyedVectors

TOL = 1e-6


@pytest.fixture(scope="module")
def pair():
    rng = np.random.default_rng(7)
    words = [f"w{i}" for i in range(300)]
    vectors = rng.normal(size=(300, 16)).astype("float32")
    kv = KeyedVectors(vector_size=16)
    kv.add_vectors(words, vectors)
    return WordVectors(words, vectors), kv


def assert_same_ranking(ours, theirs):
    assert [w for w, _ in ours] == [w for w, _ in theirs]
    np.testing.assert_allclose(
        [s for _, s in ours], [s for _, s in theirs], rtol=0, atol=TOL
    )


@pytest.mark.parametrize(
    ("positive", "negative", "topn", "restrict_vocab"),
    [
        ("w0", None, 10, None),
        (["w1", "w2"], ["w3"], 5, None),
        (None, ["w4"], 3, None),
        (["w5"], None, 4, 50),
        (["w5"], None, 1000, None),
        (["w6", "w7"], "w8", 10, 120),
    ],
)
def test_most_similar_words(pair, positive, negative, topn, restrict_vocab):
    wv, kv = pair
    assert_same_ranking(
        wv.most_similar(positive, negative, topn, restrict_vocab),
        kv.most_similar(positive, negative, topn, restrict_vocab=restrict_vocab),
    )


def test_most_similar_vectors_and_weights(pair):
    wv, kv = pair
    vector = 3.0 * kv["w9"] + kv["w10"]  # not a unit vector: gensim adds it as is
    queries = [
        ([vector], None),
        (vector, None),
        (["w11", vector], ["w12"]),
        (np.stack([kv["w13"], kv["w14"]]), None),
        ([("w15", 2.0), ("w16", 0.5)], [("w17", -0.25)]),
        ([(vector, 0.3), "w18"], [("w19", 0.7)]),
    ]
    for positive, negative in queries:
        assert_same_ranking(
            wv.most_similar(positive, negative, topn=8),
            kv.most_similar(positive, negative, topn=8),
        )


@pytest.mark.parametrize("restrict_vocab", [None, 40])
def test_most_similar_topn_none_gives_every_score(pair, restrict_vocab):
    wv, kv = pair
    ours = wv.most_similar(["w1", "w2"], "w3", topn=None, restrict_vocab=restrict_vocab)
    theirs = kv.most_similar(
        ["w1", "w2"], "w3", topn=None, restrict_vocab=restrict_vocab
    )
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=TOL)


def test_most_similar_cosmul(pair):
    wv, kv = pair
    unit = kv.get_vector("w20", norm=True)
    for args in [("w0",), (["w1", "w2"], ["w3"]), ("w4", "w5"), ([unit, "w6"],)]:
        assert_same_ranking(
            wv.most_similar_cosmul(*args, topn=7), kv.most_similar_cosmul(*args, topn=7)
        )
    np.testing.assert_allclose(
        wv.most_similar_cosmul(["w1", "w2"], ["w3"], topn=None),
        kv.most_similar_cosmul(["w1", "w2"], ["w3"], topn=None),
        rtol=1e-6,
    )


def test_most_similar_cosmul_restrict_vocab_keeps_gensims_order(pair):
    # gensim 4.4 ignores restrict_vocab here; ours is gensim's ranking of the
    # first rows only.
    wv, kv = pair
    scores = kv.most_similar_cosmul(["w1", "w2"], ["w3"], topn=None)[:60]
    scores[[1, 2, 3]] = -np.inf
    best = np.argsort(-scores, kind="stable")[:5]
    ours = wv.most_similar_cosmul(["w1", "w2"], ["w3"], topn=5, restrict_vocab=60)
    assert [w for w, _ in ours] == [kv.index_to_key[i] for i in best]
    np.testing.assert_allclose([s for _, s in ours], scores[best], rtol=1e-6)


def test_similar_by_word_and_vector(pair):
    wv, kv = pair
    assert_same_ranking(
        wv.similar_by_word("w3", topn=6, restrict_vocab=100),
        kv.similar_by_word("w3", topn=6, restrict_vocab=100),
    )
    vector = kv["w3"] - kv["w4"]
    assert_same_ranking(
        wv.similar_by_vector(vector, topn=6), kv.similar_by_vector(vector, topn=6)
    )


def test_pairwise_scores(pair):
    wv, kv = pair
    for a, b in [("w0", "w1"), ("w2", "w2"), ("w10", "w200")]:
        assert wv.similarity(a, b) == pytest.approx(kv.similarity(a, b), abs=TOL)
        assert wv.distance(a, b) == pytest.approx(kv.distance(a, b), abs=TOL)
    for ws1, ws2 in [(["w0", "w1"], ["w2"]), (["w3"], ["w4", "w5", "w6"])]:
        assert wv.n_similarity(ws1, ws2) == pytest.approx(
            kv.n_similarity(ws1, ws2), abs=TOL
        )


def test_distances_rank_and_doesnt_match(pair):
    wv, kv = pair
    vector = kv["w5"] * 2 + kv["w8"]
    for args in [("w0",), ("w1", ["w2", "w3", "w1"]), (vector,), (vector, ["w9"])]:
        np.testing.assert_allclose(
            wv.distances(*args), kv.distances(*args), rtol=0, atol=TOL
        )
    for a, b in [("w0", "w1"), ("w0", "w0"), ("w7", "w150"), ("w299", "w3")]:
        assert wv.rank(a, b) == kv.rank(a, b)
    for words in [["w0", "w1", "w2"], [f"w{i}" for i in range(20, 31)]]:
        assert wv.doesnt_match(words) == kv.doesnt_match(words)


def test_lookups(pair):
    wv, kv = pair
    assert wv.key_to_index == kv.key_to_index
    assert wv.index_to_key == kv.index_to_key
    assert len(wv) == len(kv)
    assert wv.vector_size == kv.vector_size
    np.testing.assert_array_equal(wv.vectors, kv.vectors)
    assert ("w3" in wv, "nope" in wv) == ("w3" in kv, "nope" in kv)
    assert wv.get_index("w42") == kv.get_index("w42")
    assert wv.get_index("nope", -1) == kv.get_index("nope", -1)
    for norm in (False, True):
        np.testing.assert_allclose(
            wv.get_vector("w5", norm=norm), kv.get_vector("w5", norm=norm), atol=TOL
        )
    np.testing.assert_array_equal(wv["w5"], kv["w5"])
    np.testing.assert_array_equal(wv[["w5", "w1"]], kv[["w5", "w1"]])
    np.testing.assert_allclose(
        wv.get_normed_vectors(), kv.get_normed_vectors(), atol=TOL
    )


@pytest.mark.parametrize("binary", [False, True])
def test_saved_file_loads_in_gensim(pair, tmp_path, binary):
    wv, _ = pair
    path = tmp_path / "v.bin"
    wv.save_word2vec_format(path, binary=binary)
    loaded = KeyedVectors.load_word2vec_format(str(path), binary=binary)
    assert loaded.index_to_key == wv.index_to_key
    np.testing.assert_array_equal(loaded.vectors, wv.vectors)


def test_evaluation_methods(pair, tmp_path):
    wv, kv = pair
    rng = np.random.default_rng(3)
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text(
        "".join(
            f"W{a}\tw{b}\t{s:.2f}\n"
            for a, b, s in zip(
                rng.integers(0, 300, 40),
                rng.integers(0, 300, 40),
                rng.uniform(0, 10, 40),
                strict=True,
            )
        )
        + "w1\tunknown\t3.0\n"
    )
    pearson, spearman, oov = wv.evaluate_word_pairs(pairs, restrict_vocab=250)
    g_pearson, g_spearman, g_oov = kv.evaluate_word_pairs(pairs, restrict_vocab=250)
    for ours, theirs in ((pearson, g_pearson), (spearman, g_spearman)):
        assert ours[0] == pytest.approx(theirs[0], abs=TOL)
        assert ours[1] == pytest.approx(theirs[1], rel=1e-4)
    assert oov == pytest.approx(g_oov)

    # Planted answers: w(i+3) = w(i+1) - w(i) + w(i+2) for i = 0, 4, 8, ...
    vectors = wv.vectors.copy()
    for i in range(0, 60, 4):
        vectors[i + 3] = vectors[i + 1] - vectors[i] + vectors[i + 2]
    planted = WordVectors(wv.words, vectors)
    planted_kv = planted.to_gensim()
    questions = tmp_path / "questions.txt"
    lines = [f"w{i} w{i + 1} w{i + 2} w{i + 3}" for i in range(0, 60, 2)]
    questions.write_text(
        ": one\n"
        + "\n".join(lines[:15])
        + "\n: two\n"
        + "\n".join(lines[15:])
        + "\nw1 w2 w3 unknown\n"
    )
    acc, sections = planted.evaluate_word_analogies(questions, restrict_vocab=200)
    g_acc, g_sections = planted_kv.evaluate_word_analogies(
        str(questions), restrict_vocab=200
    )
    assert 0 < acc < 1
    assert acc == pytest.approx(g_acc)
    assert sections == g_sections


def test_conversion_round_trip(pair):
    wv, kv = pair
    ours = WordVectors.from_gensim(kv)
    assert ours.index_to_key == kv.index_to_key
    np.testing.assert_array_equal(ours.vectors, kv.vectors)
    assert not np.shares_memory(ours.vectors, kv.vectors)
    back = ours.to_gensim()
    assert isinstance(back, KeyedVectors)
    assert back.key_to_index == kv.key_to_index
    np.testing.assert_array_equal(back.vectors, wv.vectors)
    assert not np.shares_memory(back.vectors, wv.vectors)
    assert_same_ranking(back.most_similar("w1", topn=5), wv.most_similar("w1", topn=5))


def test_from_gensim_refuses_other_objects_and_non_word_keys():
    with pytest.raises(TypeError, match="`keyed_vectors` must be a gensim"):
        WordVectors.from_gensim({"a": [1.0]})
    kv = KeyedVectors(vector_size=2)
    kv.add_vectors([0, 1], np.eye(2))
    with pytest.raises(TypeError, match=r"words \(str\) as keys.*first 0"):
        WordVectors.from_gensim(kv)

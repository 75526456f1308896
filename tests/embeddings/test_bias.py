"""Bias axis, bias metrics and hard debiasing, against formulas and invariants."""

import itertools
import math

import keras
import numpy as np
import pytest

from keras_seqlayers import embeddings as kemb
from keras_seqlayers.embeddings.bias import resolve_equalize_pairs
from tests.embeddings.synthetic import synthetic_embeddings

TOL = 1e-6


@pytest.fixture
def emb():
    return synthetic_embeddings()


def _vec(words, vectors, word):
    return vectors[words.index(word)]


# ---------------------------------------------------------------- direction


def test_pca_direction_matches_covariance_eigenvector(emb):
    words, vectors, pairs, *_ = emb
    result = kemb.bias_direction(vectors, words, pairs)
    # Independent reference: Bolukbasi's doPCA (centre each pair, then
    # principal components of the stacked rows), via the eigenvectors of the
    # covariance matrix rather than an SVD.
    rows = []
    for a, b in pairs:
        ea, eb = _vec(words, vectors, a), _vec(words, vectors, b)
        centre = (ea + eb) / 2
        rows += [ea - centre, eb - centre]
    rows = np.array(rows)
    rows -= rows.mean(axis=0)
    eigval, eigvec = np.linalg.eigh(np.cov(rows.T))
    top = eigvec[:, -1]
    assert abs(abs(result.direction @ top) - 1) < TOL
    assert abs(np.linalg.norm(result.direction) - 1) < TOL
    assert abs(result.explained_variance_ratio - eigval[-1] / eigval.sum()) < TOL


def test_direction_sign_first_word_of_first_pair_positive(emb):
    words, vectors, pairs, *_ = emb
    for method in ("pca", "difference"):
        g = kemb.bias_direction(vectors, words, pairs, method=method).direction
        a, b = pairs[0]
        assert (_vec(words, vectors, a) - _vec(words, vectors, b)) @ g > 0
        # PCA: swapping the first pair alone flips the axis; the mean of
        # differences needs every pair swapped.
        swapped = (
            [(b, a), *pairs[1:]] if method == "pca" else [(y, x) for x, y in pairs]
        )
        g2 = kemb.bias_direction(vectors, words, swapped, method=method).direction
        assert (_vec(words, vectors, b) - _vec(words, vectors, a)) @ g2 > 0


def test_difference_direction_is_mean_pair_difference(emb):
    words, vectors, pairs, *_ = emb
    diffs = [_vec(words, vectors, a) - _vec(words, vectors, b) for a, b in pairs]
    expected = np.mean(diffs, axis=0)
    expected /= np.linalg.norm(expected)
    g, ratio = kemb.bias_direction(vectors, words, pairs, method="difference")
    np.testing.assert_allclose(g, expected, atol=TOL)
    # Variance of the centred pair vectors (±diff/2) along g over the total.
    halves = np.array(diffs) / 2
    assert abs(ratio - np.sum((halves @ g) ** 2) / np.sum(halves**2)) < TOL
    # One pair: the course's e_woman - e_man, explaining everything.
    one, one_ratio = kemb.bias_direction(vectors, words, pairs[:1], method="difference")
    np.testing.assert_allclose(one, diffs[0] / np.linalg.norm(diffs[0]), atol=TOL)
    assert abs(one_ratio - 1) < TOL


def test_direction_accepts_a_mapping_of_vectors(emb):
    words, vectors, pairs, *_ = emb
    mapping = dict(zip(words, vectors, strict=True))
    g1 = kemb.bias_direction(mapping, None, pairs).direction
    g2 = kemb.bias_direction(vectors, words, pairs).direction
    np.testing.assert_allclose(g1, g2, atol=TOL)


def test_word_vectors_object_is_accepted(emb):
    words, vectors, definitional, pairs, specific, _ = emb
    wv = kemb.WordVectors(words, vectors)
    g = kemb.bias_direction(vectors, words, definitional).direction
    np.testing.assert_allclose(
        kemb.bias_direction(wv, None, definitional).direction, g, atol=TOL
    )
    np.testing.assert_allclose(
        kemb.debias_embeddings(wv, wv, definitional, pairs, specific),
        kemb.debias_embeddings(vectors, words, definitional, pairs, specific),
        atol=TOL,
    )


def test_direction_recovers_planted_axis(emb):
    words, vectors, pairs, _, _, axis = emb
    g = kemb.bias_direction(vectors, words, pairs).direction
    assert abs(g @ axis) > 0.9


def test_direction_errors(emb):
    words, vectors, pairs, *_ = emb
    with pytest.raises(ValueError, match=r"not in the vocabulary: \['zz', 'yy'\]"):
        kemb.bias_direction(vectors, words, [("zz", "w0"), ("w1", "yy")])
    with pytest.raises(ValueError, match="identical words"):
        kemb.bias_direction(vectors, words, [("w0", "w0")])
    with pytest.raises(ValueError, match="`method` must be one of"):
        kemb.bias_direction(vectors, words, pairs, method="svd")
    # Unrelated pairs in random directions do not define one axis.
    random_pairs = [(f"w{i}", f"w{i + 1}") for i in range(10, 22, 2)]
    with pytest.raises(ValueError, match="do not define one bias axis"):
        kemb.bias_direction(vectors, words, random_pairs, min_explained_variance=0.6)
    for value in (1.5, -0.1, float("nan")):
        with pytest.raises(
            ValueError,
            match=r"`min_explained_variance` must be a number in \[0, 1\].*"
            rf"min_explained_variance={value!r}",
        ):
            kemb.bias_direction(vectors, words, pairs, min_explained_variance=value)
    with pytest.raises(ValueError, match="2-D numeric array"):
        kemb.bias_direction(vectors[0], words, pairs)


# ---------------------------------------------------------------- metrics


def test_direct_bias_matches_formula(emb):
    words, vectors, *_, axis = emb
    neutral = words[10:]
    for c in (1.0, 0.5, 2.0):
        expected = 0.0
        for w in neutral:
            e = _vec(words, vectors, w)
            cos = e @ axis / (np.linalg.norm(e) * np.linalg.norm(axis))
            expected += abs(cos) ** c
        expected /= len(neutral)
        got = kemb.direct_bias(vectors, neutral, 3 * axis, c=c, vocabulary=words)
        assert abs(got - expected) < TOL
    # c = 0: the share of words with any component along g.
    assert kemb.direct_bias(vectors, neutral, axis, c=0, vocabulary=words) == 1.0


def test_direct_bias_errors(emb):
    words, vectors, *_, axis = emb
    with pytest.raises(ValueError, match="zero vector"):
        kemb.direct_bias(vectors, words, np.zeros(8), vocabulary=words)
    with pytest.raises(ValueError, match="must be finite"):
        kemb.direct_bias(vectors, words, np.full(8, np.nan), vocabulary=words)
    with pytest.raises(
        ValueError, match="dimension 5 but the vectors have dimension 8"
    ):
        kemb.direct_bias(vectors, words, np.ones(5), vocabulary=words)
    with pytest.raises(ValueError, match="`c` must be"):
        kemb.direct_bias(vectors, words, axis, c=-1, vocabulary=words)
    with pytest.raises(ValueError, match=r"not in the vocabulary: \['nope'\]"):
        kemb.direct_bias(vectors, ["w1", "nope"], axis, vocabulary=words)


def _s(w, A, B):
    cos = lambda u, v: u @ v / (np.linalg.norm(u) * np.linalg.norm(v))  # noqa: E731
    return np.mean([cos(w, a) for a in A]) - np.mean([cos(w, b) for b in B])


def test_weat_matches_caliskan_formula_and_brute_force_p_value(emb):
    words, vectors, *_ = emb
    get = lambda ws: [_vec(words, vectors, w) for w in ws]  # noqa: E731
    X, Y = ["w0", "w2", "w4", "w6"], ["w1", "w3", "w5", "w7"]
    A, B = ["w10", "w11", "w12"], ["w13", "w14"]
    sx = [_s(x, get(A), get(B)) for x in get(X)]
    sy = [_s(y, get(A), get(B)) for y in get(Y)]
    all_s = sx + sy
    mean = sum(all_s) / len(all_s)
    population_std = math.sqrt(sum((v - mean) ** 2 for v in all_s) / len(all_s))
    effect = (np.mean(sx) - np.mean(sy)) / population_std
    observed = sum(sx) - sum(sy)
    exceed = total = 0
    for combo in itertools.combinations(range(8), 4):
        xi = sum(all_s[i] for i in combo)
        stat = xi - (sum(all_s) - xi)
        exceed += stat > observed + 1e-12
        total += 1
    result = kemb.weat_effect_size(vectors, X, Y, A, B, vocabulary=words)
    assert result.exact
    assert abs(result.effect_size - effect) < TOL
    assert abs(result.statistic - observed) < TOL
    assert abs(result.p_value - exceed / total) < TOL
    # Sampled partitions estimate the same p-value.
    sampled = kemb.weat_effect_size(
        vectors, X, Y, A, B, vocabulary=words, num_permutations=20, seed=1
    )
    assert not sampled.exact
    assert abs(sampled.effect_size - effect) < TOL
    many = kemb.weat_effect_size(
        vectors, X, Y, A, B, vocabulary=words, num_permutations=60, seed=2
    )
    assert not many.exact
    assert abs(many.p_value - exceed / total) < 0.2


def test_unseeded_weat_sample_follows_keras_set_random_seed():
    words = [f"w{i}" for i in range(18)]
    vectors = np.random.default_rng(0).normal(size=(18, 5))
    X, Y, A, B = words[:5], words[5:10], words[10:14], words[14:]

    def p_value(random_seed):
        keras.utils.set_random_seed(random_seed)
        return kemb.weat_effect_size(
            vectors, X, Y, A, B, vocabulary=words, num_permutations=50, seed=None
        ).p_value

    assert p_value(3) == p_value(3)
    assert len({p_value(s) for s in range(5)}) > 1


def test_weat_opposite_sets_flip_effect(emb):
    words, vectors, *_ = emb
    args = dict(vocabulary=words)
    r1 = kemb.weat_effect_size(
        vectors, ["w0", "w2"], ["w1", "w3"], ["w4"], ["w5"], **args
    )
    r2 = kemb.weat_effect_size(
        vectors, ["w1", "w3"], ["w0", "w2"], ["w4"], ["w5"], **args
    )
    assert abs(r1.effect_size + r2.effect_size) < TOL


def test_weat_errors(emb):
    words, vectors, *_ = emb
    with pytest.raises(ValueError, match="`X` must hold at least one word"):
        kemb.weat_effect_size(vectors, [], ["w1"], ["w2"], ["w3"], vocabulary=words)
    with pytest.raises(ValueError, match=r"`B`: 1 word\(s\) not in the vocabulary"):
        kemb.weat_effect_size(vectors, ["w0"], ["w1"], ["w2"], ["x"], vocabulary=words)
    with pytest.raises(ValueError, match="`num_permutations` must be an integer >= 1"):
        kemb.weat_effect_size(
            vectors,
            ["w0"],
            ["w1"],
            ["w2"],
            ["w3"],
            vocabulary=words,
            num_permutations=0,
        )


# ---------------------------------------------------------------- debiasing


def _check_debiased(words, before, after, g, pairs, specific, variant, unit_inputs):
    """The paper's invariants, checked on a debiased matrix at 1e-6."""
    index = {w: i for i, w in enumerate(words)}
    paired = {w for p in pairs for w in p}
    neutral = [w for w in words if w not in specific and w not in paired]
    # Neutralize: no component along the axis.
    for w in neutral:
        assert abs(after[index[w]] @ g) < TOL, w
    # Gender-specific words outside the pairs are untouched.
    for w in specific:
        if w not in paired:
            np.testing.assert_allclose(after[index[w]], before[index[w]], atol=TOL)
    for a, b in pairs:
        ea, eb = after[index[a]], after[index[b]]
        # Opposite projections, equal components off the axis.
        assert abs(ea @ g + eb @ g) < TOL
        np.testing.assert_allclose(ea - (ea @ g) * g, eb - (eb @ g) * g, atol=TOL)
        # Every neutral word is equidistant from both.
        for w in neutral:
            n = after[index[w]]
            assert abs(np.linalg.norm(n - ea) - np.linalg.norm(n - eb)) < TOL
    if variant == "paper" and unit_inputs:
        np.testing.assert_allclose(np.linalg.norm(after, axis=1), 1.0, atol=TOL)


@pytest.mark.parametrize("variant", ["paper", "course"])
@pytest.mark.parametrize("method", ["pca", "difference"])
def test_debias_embeddings_invariants(emb, variant, method):
    words, vectors, definitional, pairs, specific, _ = emb
    out = kemb.debias_embeddings(
        vectors,
        words,
        definitional,
        pairs,
        specific,
        method=method,
        equalize=variant,
    )
    g = kemb.bias_direction(vectors, words, definitional, method=method).direction
    _check_debiased(words, vectors, out, g, pairs, specific, variant, True)


def test_debias_embeddings_equalize_variants_match_their_formulas(emb):
    words, vectors, definitional, pairs, _, _ = emb
    g = kemb.bias_direction(vectors, words, definitional).direction
    a, b = (_vec(words, vectors, w) for w in pairs[0])
    # The course's code, transcribed (bias_axis not normalized on purpose).
    bias_axis = 2.5 * g
    mu = (a + b) / 2
    mu_B = np.dot(mu, bias_axis) / np.sum(bias_axis**2) * bias_axis
    mu_orth = mu - mu_B
    e_w1B = np.dot(a, bias_axis) / np.sum(bias_axis**2) * bias_axis
    e_w2B = np.dot(b, bias_axis) / np.sum(bias_axis**2) * bias_axis
    scale = np.sqrt(np.abs(1 - np.sum(mu_orth**2)))
    e1 = scale * (e_w1B - mu_B) / np.linalg.norm(a - mu_orth - mu_B) + mu_orth
    e2 = scale * (e_w2B - mu_B) / np.linalg.norm(b - mu_orth - mu_B) + mu_orth
    c1, c2 = kemb.equalize(a, b, bias_axis, variant="course")
    np.testing.assert_allclose(c1, e1, atol=TOL)
    np.testing.assert_allclose(c2, e2, atol=TOL)
    # The authors' code: y = drop(mean), z = sqrt(1 - |y|^2), signed by (a-b)·g.
    y = mu - (mu @ g) * g
    z = np.sqrt(1 - np.linalg.norm(y) ** 2)
    if (a - b) @ g < 0:
        z = -z
    p1, p2 = kemb.equalize(a, b, g, variant="paper")
    np.testing.assert_allclose(p1, z * g + y, atol=TOL)
    np.testing.assert_allclose(p2, -z * g + y, atol=TOL)


def test_neutralize_formula():
    e = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 4.0]])
    g = np.array([2.0, 0.0, 1.0])
    expected = e - (e @ g / (g @ g))[:, None] * g
    np.testing.assert_allclose(kemb.neutralize(e, g), expected, atol=TOL)
    assert np.all(np.abs(kemb.neutralize(e, g) @ g) < TOL)


def test_debias_without_renormalize_keeps_neutral_norm_reduced(emb):
    words, vectors, definitional, pairs, specific, _ = emb
    out = kemb.debias_embeddings(
        vectors, words, definitional, pairs, specific, renormalize=False
    )
    g = kemb.bias_direction(vectors, words, definitional).direction
    w = words.index("w12")
    np.testing.assert_allclose(out[w], vectors[w] - (vectors[w] @ g) * g, atol=TOL)


def test_equalize_pairs_resolution_and_errors(emb):
    words, vectors, definitional, pairs, specific, _ = emb
    vocab = [*words, "Dad", "Mom", "DAD", "MOM"]
    resolved = resolve_equalize_pairs(vocab, [("dad", "mom"), ("w6", "w7")])
    assert resolved == [("Dad", "Mom"), ("DAD", "MOM"), ("w6", "w7")]
    with pytest.raises(ValueError, match=r"not in the vocabulary: \[\('x', 'w7'\)\]"):
        resolve_equalize_pairs(words, [("x", "w7"), ("w8", "w9")])
    assert resolve_equalize_pairs(
        words, [("x", "w7"), ("w8", "w9")], on_missing="skip"
    ) == [("w8", "w9")]
    with pytest.raises(ValueError, match="identical words"):
        resolve_equalize_pairs(words, [("w7", "w7")])
    with pytest.raises(ValueError, match=r"one pair only.*\['w7'\]"):
        resolve_equalize_pairs(words, [("w6", "w7"), ("w7", "w8")])
    with pytest.raises(ValueError, match="needs unit-length vectors"):
        kemb.debias_embeddings(
            vectors * 3, words, definitional, pairs, specific, equalize="paper"
        )
    with pytest.raises(ValueError, match="dimension 3 but the vectors have"):
        kemb.debias_embeddings(
            vectors, words, definitional, pairs, specific, direction=np.ones(3)
        )
    with pytest.raises(ValueError, match="`equalize` must be one of"):
        kemb.debias_embeddings(
            vectors, words, definitional, pairs, specific, equalize="soft"
        )

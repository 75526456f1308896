"""Bias in word embeddings: the bias axis, bias metrics and hard debiasing.

Everything here is NumPy on a `(vocabulary_size, dim)` matrix of vectors; the
Keras layer that applies the same debiasing inside a model is
`keras_seqlayers.layers.Debias`.

Vocabularies are given as a sequence of words (a word's position is its row in
the vectors), as a mapping from word to row, or as any object with a `words`
attribute holding such a sequence (for example `ksl.text.Vocabulary`).
"""

import collections
import itertools
import math
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from keras_seqlayers._random import numpy_generator
from keras_seqlayers.checks import (
    check_bool,
    check_choice,
    check_number,
    check_positive_int,
    check_seed,
    is_number,
)

EQUALIZE_VARIANTS = ("paper", "course")
DIRECTION_METHODS = ("pca", "difference")


class BiasDirection(NamedTuple):
    """A bias axis and how much of the definitional variance it explains.

    Attributes:
        direction: unit-length `(dim,)` float64 vector.
        explained_variance_ratio: variance of the centred definitional
            vectors along `direction`, divided by their total variance.
    """

    direction: np.ndarray
    explained_variance_ratio: float


class WEATResult(NamedTuple):
    """Result of a Word Embedding Association Test.

    Attributes:
        effect_size: Cohen's-d-like effect size (population standard
            deviation in the denominator).
        p_value: one-sided permutation p-value, the fraction of equal-size
            re-partitions of `X ∪ Y` whose test statistic exceeds the
            observed one.
        statistic: the observed test statistic
            `Σ_x s(x, A, B) − Σ_y s(y, A, B)`.
        exact: whether every partition was enumerated (else sampled).
    """

    effect_size: float
    p_value: float
    statistic: float
    exact: bool


# ----------------------------------------------------------------------------
# Word lookup


def _word_index(vocabulary):
    """Maps a vocabulary (sequence, mapping or `.words` object) to word -> row."""
    vocabulary = getattr(vocabulary, "words", vocabulary)
    if isinstance(vocabulary, Mapping):
        return dict(vocabulary)
    if isinstance(vocabulary, str) or not hasattr(vocabulary, "__iter__"):
        raise TypeError(
            "`vocabulary` must be a sequence of words, a mapping from word to "
            f"row, or an object with a `words` attribute; received {vocabulary!r}"
        )
    index = {}
    for row, word in enumerate(vocabulary):
        # The first occurrence wins, like a dict built from the sequence.
        index.setdefault(word, row)
    return index


def as_matrix(vectors, name="vectors"):
    """`vectors` as a 2-D numeric array; a `WordVectors`-like object (one
    with a `vectors` attribute) stands for its matrix.

    Raises:
        ValueError: the array is not 2-D or not numeric.
    """
    matrix = np.asarray(getattr(vectors, "vectors", vectors))
    if matrix.ndim != 2 or not np.issubdtype(matrix.dtype, np.number):
        raise ValueError(
            f"`{name}` must be a 2-D numeric array (vocabulary_size, dim); "
            f"received shape {matrix.shape} and dtype {matrix.dtype}"
        )
    return matrix


def _rows(index, words, what):
    """Rows of `words`; a ValueError lists every missing word."""
    missing = [w for w in words if w not in index]
    if missing:
        raise ValueError(
            f"{what}: {len(missing)} word(s) not in the vocabulary: {missing}"
        )
    return np.array([index[w] for w in words], dtype=np.int64)


def _lookup(vectors, words, vocabulary, what):
    """`(len(words), dim)` float64 vectors of `words`.

    `vectors` is either a 2-D array with `vocabulary` giving its rows, or a
    mapping-like object from word to vector (a dict, gensim `KeyedVectors`).
    """
    words = list(words)
    if vocabulary is None:
        if not hasattr(vectors, "__getitem__") or not hasattr(vectors, "__contains__"):
            raise TypeError(
                "`vectors` must be a mapping from word to vector when no "
                f"`vocabulary` is given; received {type(vectors).__name__}"
            )
        if isinstance(vectors, np.ndarray):
            raise TypeError(
                "`vectors` is an array: pass `vocabulary=` to say which row "
                "holds which word"
            )
        missing = [w for w in words if w not in vectors]
        if missing:
            raise ValueError(
                f"{what}: {len(missing)} word(s) not in the vocabulary: {missing}"
            )
        found = [np.asarray(vectors[w], dtype=np.float64) for w in words]
        shapes = sorted({v.shape for v in found})
        # Checked before stacking: NumPy's own error for ragged rows names
        # neither the argument nor the words.
        if len(shapes) != 1 or len(shapes[0]) != 1:
            raise ValueError(
                f"{what}: the vectors must all be 1-D of one length; received "
                f"shapes {shapes}"
            )
        return np.stack(found)
    matrix = as_matrix(vectors)
    rows = _rows(_word_index(vocabulary), words, what)
    if rows.size and rows.max() >= matrix.shape[0]:
        raise ValueError(
            f"`vocabulary` names row {int(rows.max())} but `vectors` has only "
            f"{matrix.shape[0]} rows"
        )
    return matrix[rows].astype(np.float64)


def check_pairs(pairs, name, item="word", *, disjoint=False):
    """`pairs` as a list of tuples, if each holds two different items.

    The one rule for pairs of words (definitional and equalize pairs) and of
    token ids (`ksl.layers.Debias`'s equalize pairs).

    Args:
        pairs: an iterable of pairs.
        name: the argument name the error messages give.
        item: what the pairs hold, for the messages (`"word"`, `"id"`).
        disjoint: also require that no item is in two pairs.

    Raises:
        ValueError: a pair does not hold two items, or two equal ones; or,
            with `disjoint`, an item is in several pairs.

    Example:

    >>> check_pairs([("she", "he"), ["her", "his"]], "pairs")
    [('she', 'he'), ('her', 'his')]
    """
    pairs = [tuple(p) for p in pairs]
    for pair in pairs:
        if len(pair) != 2:
            raise ValueError(
                f"`{name}` must hold pairs of two {item}s; received {pair!r}"
            )
        if pair[0] == pair[1]:
            raise ValueError(
                f"`{name}` holds a pair of identical {item}s {pair!r}; the two "
                f"{item}s of a pair must differ"
            )
    if disjoint:
        counts = collections.Counter(x for pair in pairs for x in pair)
        repeated = sorted(x for x, count in counts.items() if count > 1)
        if repeated:
            article = "an" if item[0] in "aeiou" else "a"
            raise ValueError(
                f"`{name}`: {article} {item} may belong to one pair only; these "
                f"are in several: {repeated}"
            )
    return pairs


def check_direction(direction, dim=None):
    """Unit-length float64 copy of a bias axis `direction`.

    Args:
        direction: a 1-D vector, finite and non-zero.
        dim: the dimension it must have, or None.

    Raises:
        ValueError: `direction` is not 1-D, has another dimension than `dim`,
            holds NaN or inf values, or is zero.
    """
    g = np.asarray(direction, dtype=np.float64)
    if g.ndim != 1:
        raise ValueError(f"`direction` must be a 1-D vector; received shape {g.shape}")
    if dim is not None and g.shape[0] != dim:
        raise ValueError(
            f"`direction` has dimension {g.shape[0]} but the vectors have "
            f"dimension {dim}"
        )
    if not np.all(np.isfinite(g)):
        raise ValueError("`direction` must be finite; it holds NaN or inf values")
    norm = np.linalg.norm(g)
    if norm == 0:
        raise ValueError("`direction` is the zero vector; it defines no axis")
    return g / norm


# ----------------------------------------------------------------------------
# Bias direction and metrics


def bias_direction(
    vectors,
    vocabulary,
    pairs,
    method="pca",
    min_explained_variance=0.3,
):
    """The bias axis defined by pairs of words such as `("she", "he")`.

    With `method="pca"` (Bolukbasi et al. 2016) each pair is centred on its
    midpoint and the axis is the first principal component of the centred
    vectors. With `method="difference"` it is the mean of the pair
    differences `e_a - e_b` (for one pair, the course's `e_woman - e_man`).
    The sign is fixed so that the first word of the first pair lies on the
    positive side of its pair's midpoint (`(e_a - e_b) · g > 0`).

    Args:
        vectors: `(vocabulary_size, dim)` array, or a mapping from word to
            vector when `vocabulary` is None.
        vocabulary: the words of the rows of `vectors` (a sequence, a mapping
            word -> row, or an object with a `words` attribute), or None.
        pairs: pairs of words, e.g. `[("woman", "man"), ("she", "he")]`.
        method: `"pca"` or `"difference"`.
        min_explained_variance: the smallest acceptable ratio of the centred
            pairs' variance along the axis to their total variance; below it
            the pairs do not define one axis and a ValueError is raised. One
            pair always gives 1; for k pairs in random directions the PCA
            ratio is about 1/k, while the paper's ten gender pairs give about
            0.6 on GoogleNews vectors.

    Returns:
        A `BiasDirection(direction, explained_variance_ratio)`; `direction`
        has unit length.

    Example:

    >>> import numpy as np
    >>> vectors = np.array([[1.0, 1.0], [-1.0, 1.0], [2.0, 0.5], [-2.0, 0.5]])
    >>> g, ratio = bias_direction(vectors, ["she", "he", "her", "his"],
    ...                           [("she", "he"), ("her", "his")])
    >>> np.round(g, 6).tolist(), round(ratio, 6)
    ([1.0, 0.0], 1.0)

    Reference:
        Bolukbasi et al. 2016, "Man is to Computer Programmer as Woman is to
        Homemaker? Debiasing Word Embeddings", section 5.
    """
    check_choice("method", method, DIRECTION_METHODS)
    if not is_number(min_explained_variance):
        raise TypeError(
            "`min_explained_variance` must be a number in [0, 1]; received "
            f"min_explained_variance={min_explained_variance!r}"
        )
    if not 0.0 <= min_explained_variance <= 1.0:
        raise ValueError(
            "`min_explained_variance` must be a number in [0, 1]; received "
            f"min_explained_variance={min_explained_variance!r}"
        )
    min_explained_variance = float(min_explained_variance)
    pairs = check_pairs(pairs, "pairs")
    if not pairs:
        raise ValueError("`pairs` must hold at least one pair; received none")
    words = [w for pair in pairs for w in pair]
    e = _lookup(vectors, words, vocabulary, "`pairs`")
    if not np.all(np.isfinite(e)):
        raise ValueError("the vectors of `pairs` hold NaN or inf values")
    first, second = e[0::2], e[1::2]
    half = (first - second) / 2.0
    # Centred on each pair's midpoint: rows e_a - mu = half, e_b - mu = -half.
    centred = np.concatenate([half, -half])
    total = float(np.sum(centred**2))
    if total == 0.0:
        raise ValueError("every pair in `pairs` has identical vectors; no axis")
    if method == "pca":
        # The centred rows already have zero mean, so PCA is an SVD.
        _, _, vt = np.linalg.svd(centred, full_matrices=False)
        g = vt[0]
    else:
        g = np.mean(first - second, axis=0)
        if np.linalg.norm(g) == 0.0:
            raise ValueError("the pair differences of `pairs` cancel out; no axis")
    g = g / np.linalg.norm(g)
    if float(half[0] @ g) < 0:
        g = -g
    ratio = float(np.sum((centred @ g) ** 2) / total)
    if ratio < min_explained_variance:
        raise ValueError(
            f"the {method} axis explains {ratio:.3f} of the variance of the "
            f"centred pairs, below `min_explained_variance`="
            f"{min_explained_variance}; these pairs do not define one bias axis"
        )
    return BiasDirection(g, ratio)


def direct_bias(vectors, words, direction, c=1.0, *, vocabulary=None):
    """Direct bias: mean of `|cos(w, g)|^c` over gender-neutral words.

    Args:
        vectors: a mapping from word to vector, or a `(vocabulary_size, dim)`
            array with `vocabulary` naming its rows.
        words: the neutral words to measure (e.g. professions).
        direction: the bias axis `g` (any non-zero length).
        c: strictness, a finite number >= 0; `c = 0` counts the words with
            any component along `g`.
        vocabulary: the words of the rows of an array `vectors`.

    Returns:
        The direct bias, a float in [0, 1].

    Example:

    >>> import numpy as np
    >>> vecs = {"nurse": np.array([0.6, 0.8]), "doctor": np.array([0.0, 1.0])}
    >>> direct_bias(vecs, ["nurse", "doctor"], [1.0, 0.0])
    0.3

    Reference:
        Bolukbasi et al. 2016, section 5 ("Direct bias").
    """
    c = check_number("c", c)
    words = list(words)
    if not words:
        raise ValueError("`words` must hold at least one word; received none")
    e = _lookup(vectors, words, vocabulary, "`words`")
    g = check_direction(direction, e.shape[1])
    norms = np.linalg.norm(e, axis=1)
    if np.any(norms == 0):
        zero = [w for w, n in zip(words, norms, strict=True) if n == 0]
        raise ValueError(f"`words` with zero vectors have no cosine: {zero}")
    cos = np.abs(e @ g) / norms
    if c == 0:
        return float(np.mean(cos > 0))
    return float(np.mean(cos**c))


def _unit_rows(e):
    norms = np.linalg.norm(e, axis=1, keepdims=True)
    if np.any(norms == 0):
        raise ValueError("a WEAT word has a zero vector; its cosine is undefined")
    return e / norms


def weat_effect_size(
    vectors,
    X,
    Y,
    A,
    B,
    *,
    vocabulary=None,
    num_permutations=100_000,
    seed=0,
):
    """Word Embedding Association Test: effect size and permutation p-value.

    With `s(w, A, B) = mean_a cos(w, a) − mean_b cos(w, b)`, the effect size
    is `(mean_x s(x) − mean_y s(y)) / std_{w ∈ X ∪ Y} s(w)` with the
    population standard deviation, and the p-value is the fraction of
    re-partitions `(X_i, Y_i)` of `X ∪ Y` (sizes kept) with
    `Σ_{X_i} s − Σ_{Y_i} s` greater than the observed statistic. All
    partitions are enumerated when there are at most `num_permutations` of
    them; otherwise `num_permutations` random ones are drawn.

    Args:
        vectors: a mapping from word to vector, or an array with `vocabulary`.
        X, Y: the two sets of target words (e.g. male and female terms).
        A, B: the two sets of attribute words (e.g. career and family).
        vocabulary: the words of the rows of an array `vectors`.
        num_permutations: enumeration limit and sample size, an integer >= 1.
        seed: seed of the sampled permutations (an int, or None: drawn from
            Python's `random`, which `keras.utils.set_random_seed` seeds).

    Returns:
        A `WEATResult(effect_size, p_value, statistic, exact)`.

    Example:

    >>> import numpy as np
    >>> vecs = {"he": [1.0, 0.1], "she": [0.1, 1.0],
    ...         "work": [1.0, 0.0], "home": [0.0, 1.0]}
    >>> result = weat_effect_size(vecs, ["he"], ["she"], ["work"], ["home"])
    >>> round(result.effect_size, 6), result.p_value
    (2.0, 0.0)

    Reference:
        Caliskan, Bryson and Narayanan 2017, "Semantics derived automatically
        from language corpora contain human-like biases", Science 356.
    """
    sets = {"X": list(X), "Y": list(Y), "A": list(A), "B": list(B)}
    for name, words in sets.items():
        if not words:
            raise ValueError(f"`{name}` must hold at least one word; received none")
    num_permutations = check_positive_int("num_permutations", num_permutations)
    seed = check_seed(seed)
    ex, ey, ea, eb = (
        _unit_rows(_lookup(vectors, words, vocabulary, f"`{name}`"))
        for name, words in sets.items()
    )
    targets = np.concatenate([ex, ey])
    s = (targets @ ea.T).mean(axis=1) - (targets @ eb.T).mean(axis=1)
    nx, n = len(ex), len(targets)
    sx, sy = s[:nx], s[nx:]
    std = float(np.std(s))  # population standard deviation (ddof=0)
    effect = float((sx.mean() - sy.mean()) / std) if std > 0 else 0.0
    observed = float(sx.sum() - sy.sum())
    total = float(s.sum())

    num_partitions = math.comb(n, nx)
    exact = num_partitions <= num_permutations
    if exact:
        members = np.zeros((num_partitions, n), dtype=bool)
        for i, combo in enumerate(itertools.combinations(range(n), nx)):
            members[i, list(combo)] = True
    else:
        rng = numpy_generator(seed)
        order = np.argsort(rng.random((num_permutations, n)), axis=1)
        members = np.zeros((num_permutations, n), dtype=bool)
        np.put_along_axis(members, order[:, :nx], True, axis=1)
    in_x = members.astype(np.float64) @ s
    stats = in_x - (total - in_x)
    # A tiny slack so that the observed partition, recomputed in another
    # order of summation, does not count as exceeding itself.
    p_value = float(np.mean(stats > observed + 1e-12 * max(1.0, abs(observed))))
    return WEATResult(effect, p_value, observed, exact)


# ----------------------------------------------------------------------------
# Hard debiasing (NumPy reference of the paper's algorithm)


def _neutral_rows(index, gender_specific):
    """Sorted rows of the words hard debias neutralizes: all but the specific."""
    specific = set(gender_specific)
    return np.array(
        sorted({row for word, row in index.items() if word not in specific}),
        dtype=np.int64,
    )


def _neutralize_step(rows, direction, renormalize):
    """Hard debias's first step: neutralize, then (optionally) unit length;
    a row that neutralizing zeroes stays zero."""
    moved = neutralize(rows, direction)
    if renormalize:
        norms = np.linalg.norm(moved, axis=1, keepdims=True)
        moved = np.where(norms > 0, moved / np.where(norms > 0, norms, 1), 0)
    return moved


def neutralize(vectors, direction):
    """Removes the component along `direction`: `e − (e·g/‖g‖²) g`.

    Args:
        vectors: `(..., dim)` array.
        direction: `(dim,)` bias axis, any non-zero length.

    Returns:
        The neutralized float64 vectors, same shape.

    Example:

    >>> neutralize([[3.0, 4.0]], [2.0, 0.0]).tolist()
    [[0.0, 4.0]]
    """
    e = np.asarray(vectors, dtype=np.float64)
    g = check_direction(direction, e.shape[-1] if e.ndim else None)
    return e - (e @ g)[..., None] * g


def equalize(vector_a, vector_b, direction, variant="paper"):
    """Makes two words symmetric about the bias axis.

    With `mu = (e_a + e_b)/2`, `mu_B` its component along the unit axis `g`
    and `nu = mu − mu_B`, both results are `nu` plus opposite multiples of
    `g`, so every vector orthogonal to `g` is equidistant from them.

    - `variant="paper"` (Bolukbasi et al. 2016):
      `e_w = nu + sqrt(1 − ‖nu‖²) (w_B − mu_B)/‖w_B − mu_B‖`; unit length.
      When `w_B = mu_B` (both words project equally) the first word takes
      `+g`, as the authors' code does.
    - `variant="course"` (deeplearning.ai Sequence Models, week 2):
      `e_w = nu + sqrt(|1 − ‖nu‖²|) (w_B − mu_B)/‖(e_w − nu) − mu_B‖`.

    Args:
        vector_a, vector_b: `(dim,)` vectors of the two words.
        direction: `(dim,)` bias axis, any non-zero length.
        variant: `"paper"` or `"course"`.

    Returns:
        `(new_a, new_b)`, float64 vectors.

    Example:

    >>> import numpy as np
    >>> a, b = equalize([0.6, 0.8, 0.0], [0.0, 0.6, 0.8], [1.0, 0.0, 0.0])
    >>> np.round(a, 4).tolist(), np.round(b, 4).tolist()
    ([0.5916, 0.7, 0.4], [-0.5916, 0.7, 0.4])

    Reference:
        Bolukbasi et al. 2016, section 6 ("Equalize").
    """
    check_choice("variant", variant, EQUALIZE_VARIANTS)
    a = np.asarray(vector_a, dtype=np.float64)
    b = np.asarray(vector_b, dtype=np.float64)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(
            "`vector_a` and `vector_b` must be 1-D vectors of one length; "
            f"received shapes {a.shape} and {b.shape}"
        )
    g = check_direction(direction, a.shape[0])
    mu = (a + b) / 2.0
    mu_b = (mu @ g) * g
    nu = mu - mu_b
    nu_sq = float(nu @ nu)
    a_b, b_b = (a @ g) * g, (b @ g) * g
    if variant == "paper":
        if nu_sq > 1.0 + 1e-9:
            raise ValueError(
                "equalize variant 'paper' needs unit-length vectors: the pair's "
                f"mean has an off-axis norm {math.sqrt(nu_sq):.6f} > 1; "
                "normalize the vectors or use variant='course'"
            )
        z = math.sqrt(max(0.0, 1.0 - nu_sq))
        if (a - b) @ g < 0:
            z = -z
        return nu + z * g, nu - z * g
    scale = math.sqrt(abs(1.0 - nu_sq))
    new = []
    for e, e_b in ((a, a_b), (b, b_b)):
        denom = np.linalg.norm(e - nu - mu_b)
        new.append(nu + (scale * (e_b - mu_b) / denom if denom > 0 else 0.0))
    return new[0], new[1]


# `debias_embeddings` has an argument named `equalize`.
_equalize_pair = equalize


def _case_variants(pairs):
    """Lower, Title and UPPER case versions of each pair, as the authors' code."""
    out = []
    for a, b in pairs:
        for f in (str.lower, str.title, str.upper):
            out.append((f(a), f(b)))
    return out


def resolve_equalize_pairs(
    vocabulary, equalize_pairs, case_variants=True, on_missing="raise"
):
    """The equalize pairs that will be applied, as word pairs in the vocabulary.

    Args:
        vocabulary: the words of the rows (sequence, mapping or `.words`).
        equalize_pairs: pairs of words, e.g. `[("monastery", "convent")]`.
        case_variants: also try the lower, Title and UPPER case forms of each
            pair, as the authors' code does; a pair is kept when at least one
            form has both words in the vocabulary.
        on_missing: `"raise"`: a pair none of whose forms is in the
            vocabulary raises a ValueError listing them all; `"skip"`: such
            pairs are left out (the caller can compare lengths).

    Returns:
        A list of distinct `(word_a, word_b)` pairs, all in the vocabulary.
    """
    check_choice("on_missing", on_missing, ("raise", "skip"))
    case_variants = check_bool("case_variants", case_variants)
    pairs = [tuple(p) for p in equalize_pairs]
    for pair in pairs:
        if len(pair) != 2:
            raise ValueError(
                f"`equalize_pairs` must hold pairs of two words; received {pair!r}"
            )
    index = _word_index(vocabulary)
    resolved, missing = {}, []
    for pair in pairs:
        forms = _case_variants([pair]) if case_variants else [pair]
        found = [f for f in forms if f[0] in index and f[1] in index]
        if not found:
            missing.append(pair)
        resolved.update(dict.fromkeys(found))
    # Checked on the resolved forms: a pair may differ only in case.
    resolved = check_pairs(resolved, "equalize_pairs", disjoint=True)
    if missing and on_missing == "raise":
        raise ValueError(
            f"`equalize_pairs`: {len(missing)} pair(s) not in the vocabulary: "
            f"{missing} (pass on_missing='skip' to leave them out)"
        )
    return resolved


def _hard_debias_inputs(
    vectors,
    vocabulary,
    definitional_pairs,
    equalize_pairs,
    method,
    case_variants,
    on_missing,
    min_explained_variance,
    direction,
):
    """The matrix, word index, bias axis and resolved equalize pairs."""
    matrix = as_matrix(vectors)
    index = _word_index(vocabulary)
    if len(index) and max(index.values()) >= matrix.shape[0]:
        raise ValueError(
            f"`vocabulary` has {max(index.values()) + 1} rows but `vectors` has "
            f"{matrix.shape[0]}"
        )
    if direction is None:
        g = bias_direction(
            matrix,
            index,
            definitional_pairs,
            method=method,
            min_explained_variance=min_explained_variance,
        ).direction
    else:
        g = check_direction(direction, matrix.shape[1])
    pairs = resolve_equalize_pairs(index, equalize_pairs, case_variants, on_missing)
    return matrix, index, g, pairs


def debias_embeddings(
    vectors,
    vocabulary,
    definitional_pairs,
    equalize_pairs,
    gender_specific,
    *,
    method="pca",
    equalize="paper",
    renormalize=True,
    case_variants=True,
    on_missing="raise",
    min_explained_variance=0.3,
    direction=None,
):
    """Hard debiasing (neutralize and equalize) of a whole embedding matrix.

    The paper's algorithm, step by step as in the authors' code:
    1. the bias axis `g` from `definitional_pairs` (`bias_direction`), unless
       `direction` is given;
    2. every word not in `gender_specific` is neutralized,
       `e − (e·g/‖g‖²) g`, and (with `renormalize`) rescaled to unit length;
    3. every equalize pair (see `resolve_equalize_pairs`) is equalized.

    `keras_seqlayers.layers.Debias.from_word_lists` builds a layer that does
    the same inside a model.

    Args:
        vectors: `(vocabulary_size, dim)` array.
        vocabulary: the words of its rows (sequence, mapping or `.words`).
        definitional_pairs: pairs defining the axis, e.g. `[("she", "he")]`.
        equalize_pairs: pairs to equalize, e.g. `[("monastery", "convent")]`.
        gender_specific: words that are NOT neutralized.
        method: `"pca"` or `"difference"`, see `bias_direction`.
        equalize: `"paper"` (default) or `"course"`, see `equalize`.
        renormalize: rescale neutralized vectors to unit length (the
            authors' code normalizes every vector after neutralizing; with
            unit-length inputs, as the paper assumes, the two agree).
        case_variants: see `resolve_equalize_pairs`.
        on_missing: see `resolve_equalize_pairs`.
        min_explained_variance: see `bias_direction`.
        direction: an explicit bias axis; `definitional_pairs` is then unused.

    Returns:
        The debiased `(vocabulary_size, dim)` float64 matrix.

    Example:

    >>> import numpy as np
    >>> words = ["she", "he", "nurse"]
    >>> vecs = np.array([[0.8, 0.6], [-0.8, 0.6], [0.6, 0.8]])
    >>> out = debias_embeddings(vecs, words, [("she", "he")], [], ["she", "he"])
    >>> np.round(out, 6).tolist()
    [[0.8, 0.6], [-0.8, 0.6], [0.0, 1.0]]

    Reference:
        Bolukbasi et al. 2016, section 6 ("Hard de-biasing").
    """
    check_choice("equalize", equalize, EQUALIZE_VARIANTS)
    matrix, index, g, pairs = _hard_debias_inputs(
        vectors,
        vocabulary,
        definitional_pairs,
        equalize_pairs,
        method,
        case_variants,
        on_missing,
        min_explained_variance,
        direction,
    )
    out = matrix.astype(np.float64)
    neutral = _neutral_rows(index, gender_specific)
    out[neutral] = _neutralize_step(out[neutral], g, renormalize)
    for a, b in pairs:
        ia, ib = index[a], index[b]
        out[ia], out[ib] = _equalize_pair(out[ia], out[ib], g, equalize)
    return out


def hard_debias_state(
    vectors,
    vocabulary,
    definitional_pairs,
    equalize_pairs,
    gender_specific,
    *,
    method="pca",
    renormalize=True,
    case_variants=True,
    on_missing="raise",
    min_explained_variance=0.3,
    direction=None,
):
    """What `Debias.from_word_lists` stores: axis, neutral ids, pairs, means.

    Same arguments as `debias_embeddings`, less `equalize` (the state does
    not depend on the variant; the layer's config holds it).

    Returns:
        A dict with `direction` (unit `(dim,)`), `neutral_ids` (int64 rows
        of the words to neutralize), `equalize_pairs` (`(P, 2)` int64 rows)
        and `equalize_means` (`(P, dim)` means of each pair after the
        neutralize step, which equalization is centred on).
    """
    matrix, index, g, pairs = _hard_debias_inputs(
        vectors,
        vocabulary,
        definitional_pairs,
        equalize_pairs,
        method,
        case_variants,
        on_missing,
        min_explained_variance,
        direction,
    )
    neutral_ids = _neutral_rows(index, gender_specific)
    pair_ids = np.array(
        [[index[a], index[b]] for a, b in pairs], dtype=np.int64
    ).reshape(-1, 2)
    # The pair means the paper centres on: those of the vectors after the
    # neutralize (and renormalize) step.
    stepped = matrix[pair_ids.reshape(-1)].astype(np.float64)
    is_neutral = np.isin(pair_ids.reshape(-1), neutral_ids)
    if np.any(is_neutral):
        stepped[is_neutral] = _neutralize_step(stepped[is_neutral], g, renormalize)
    means = stepped.reshape(-1, 2, matrix.shape[1]).mean(axis=1)
    return {
        "direction": g,
        "neutral_ids": neutral_ids,
        "equalize_pairs": pair_ids,
        "equalize_means": means,
    }

"""Standard intrinsic evaluations, following gensim's protocol exactly.

`evaluate_word_analogies` is gensim's `KeyedVectors.evaluate_word_analogies`
(word2vec's `compute-accuracy`): only the first `restrict_vocab` words take
part, words are compared upper-cased when `case_insensitive`, questions with
an out-of-vocabulary word are skipped (or counted wrong with
`dummy4unknown`), and the answer is the best of the top 5 `3CosAdd`
candidates that is in the restricted vocabulary and not a question word.
`evaluate_word_pairs` is gensim's `evaluate_word_pairs`: Pearson and
Spearman correlation of cosine similarity with human scores, each with its
two-sided p-value, plus the percentage of out-of-vocabulary pairs. Both
return what gensim returns, in the same shape, so figures and code written
for gensim carry over.
"""

import collections
import math

import numpy as np

from keras_seqlayers.checks import check_bool, check_positive_int


class CorrelationResult(
    collections.namedtuple("CorrelationResult", ["statistic", "pvalue"])
):
    """A correlation and its two-sided p-value.

    Unpacks as `(statistic, pvalue)`, as scipy's `pearsonr` and `spearmanr`
    results (which gensim returns) do; `correlation` is `statistic`, as on
    scipy's Spearman result.
    """

    __slots__ = ()

    @property
    def correlation(self):
        return self.statistic


def _ok_vocab(vectors, restrict_vocab, case_insensitive):
    if restrict_vocab is not None:  # None: every word, as in gensim
        restrict_vocab = check_positive_int("restrict_vocab", restrict_vocab)
    keys = vectors.words[:restrict_vocab]
    # reversed(): with several case variants the first (most frequent) wins.
    if case_insensitive:
        return {k.upper(): vectors.key_to_index[k] for k in reversed(keys)}
    return {k: vectors.key_to_index[k] for k in reversed(keys)}


def _check_vectors(vectors):
    # What these functions read of a `WordVectors`; checked by its interface
    # so that this module need not import the one that defines it (whose
    # methods call these functions).
    if not all(
        hasattr(vectors, name)
        for name in ("words", "key_to_index", "get_normed_vectors")
    ):
        raise TypeError(
            f"`vectors` must be a WordVectors; received {type(vectors).__name__}."
        )


def evaluate_word_analogies(
    vectors,
    path,
    restrict_vocab=300000,
    case_insensitive=True,
    dummy4unknown=False,
    return_oov_ratio=False,
):
    """Analogy accuracy on a `questions-words.txt`-style file (gensim protocol).

    Args:
        vectors: a `WordVectors` (rows sorted by descending frequency, as
            word2vec and `Word2Vec.vectors` produce).
        path: file of `: section` headers and `a b c expected` lines.
        restrict_vocab: only the first `restrict_vocab` words are used (an
            int >= 1, or None for all).
        case_insensitive: compare upper-cased words.
        dummy4unknown: count questions with unknown words as wrong instead
            of skipping them.
        return_oov_ratio: also return the percentage of questions with an
            out-of-vocabulary word (gensim only logs it). Default False.

    Returns:
        `(score, sections)`, as gensim's: the overall accuracy, and a list
        of `{"section": name, "correct": [...], "incorrect": [...]}` dicts
        holding the questions as upper-cased 4-tuples (when
        `case_insensitive`), the last one `"Total accuracy"` with every
        question answered. With `return_oov_ratio=True`,
        `(score, sections, oov_ratio)`. Unlike gensim, a file without a
        question scores 0.0 (gensim divides by zero); gensim's
        `similarity_function` is not offered.

    Raises:
        TypeError: `vectors` is not a `WordVectors`, `restrict_vocab` is
            neither an integer nor None, or `return_oov_ratio` is not a bool.
        ValueError: `restrict_vocab` is < 1.

    Example:

    >>> import os, tempfile
    >>> import numpy as np
    >>> from keras_seqlayers.embeddings import WordVectors
    >>> wv = WordVectors(
    ...     ["man", "woman", "king", "queen"],
    ...     np.array([[1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [1.0, 0.0, 1.0],
    ...               [1.0, 1.0, 1.0]]),
    ... )
    >>> path = os.path.join(tempfile.mkdtemp(), "questions.txt")
    >>> with open(path, "w") as f:
    ...     _ = f.write(": family\\nman woman king queen\\nman woman boy girl\\n")
    >>> score, sections = evaluate_word_analogies(wv, path)
    >>> score, [s["section"] for s in sections]
    (1.0, ['family', 'Total accuracy'])
    >>> evaluate_word_analogies(wv, path, return_oov_ratio=True)[2]
    50.0
    """
    _check_vectors(vectors)
    return_oov_ratio = check_bool("return_oov_ratio", return_oov_ratio)
    ok_vocab = _ok_vocab(vectors, restrict_vocab, case_insensitive)
    normed = vectors.get_normed_vectors()[:restrict_vocab]
    sections, section = [], None
    oov = 0
    questions = 0
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f):
            if line.startswith(": "):
                if section:
                    sections.append(section)
                section = {
                    "section": line.lstrip(": ").strip(),
                    "correct": [],
                    "incorrect": [],
                }
                continue
            if not section:
                raise ValueError(
                    f"Missing section header before line #{line_no} in {path}."
                )
            words = line.split()
            if len(words) != 4:
                continue
            if case_insensitive:
                words = [w.upper() for w in words]
            a, b, c, expected = words
            questions += 1
            if any(w not in ok_vocab for w in words):
                oov += 1
                if dummy4unknown:
                    section["incorrect"].append((a, b, c, expected))
                continue
            ia, ib, ic = ok_vocab[a], ok_vocab[b], ok_vocab[c]
            query = (normed[ib] + normed[ic] - normed[ia]) / 3.0
            query = query / np.linalg.norm(query)
            scores = normed @ query
            scores[[ia, ib, ic]] = -np.inf  # gensim drops the query words
            top = np.argsort(-scores, kind="stable")[:5]
            ignore = {a, b, c}
            predicted = None
            for i in top:
                word = vectors.words[i]
                predicted = word.upper() if case_insensitive else word
                if predicted in ok_vocab and predicted not in ignore:
                    break
            key = "correct" if predicted == expected else "incorrect"
            section[key].append((a, b, c, expected))
    if section:
        sections.append(section)
    correct = [q for s in sections for q in s["correct"]]
    incorrect = [q for s in sections for q in s["incorrect"]]
    total = {"section": "Total accuracy", "correct": correct, "incorrect": incorrect}
    sections.append(total)
    answered = len(correct) + len(incorrect)
    accuracy = len(correct) / answered if answered else 0.0
    if return_oov_ratio:
        oov_ratio = 100.0 * oov / questions if questions else 0.0
        return accuracy, sections, oov_ratio
    return accuracy, sections


def _ranks(x):
    """Ranks starting at 1 with ties given their average rank."""
    x = np.asarray(x, np.float64)
    order = np.argsort(x, kind="mergesort")
    ranks = np.empty(len(x), np.float64)
    sorted_x = x[order]
    i = 0
    while i < len(x):
        j = i
        while j + 1 < len(x) and sorted_x[j + 1] == sorted_x[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return ranks


def _correlation_pvalue(r, n):
    """Two-sided p-value of a correlation `r` of `n` pairs, as scipy's.

    Under independence `t = r sqrt((n-2) / (1-r^2))` follows Student's t
    with `df = n-2` degrees of freedom (scipy's `pearsonr` and `spearmanr`
    both use it), and `P(|T| >= |t|) = I_x(df/2, 1/2)` at
    `x = df / (df + t^2) = 1 - r^2`, the regularized incomplete beta
    function. It is evaluated by its continued fraction (modified Lentz, as
    Numerical Recipes' `betacf`), on the side of the symmetry
    `I_x(a, b) = 1 - I_{1-x}(b, a)` where the fraction converges fast.
    With 2 pairs the fit is exact whatever the data: 1.0, as `pearsonr`.
    """
    if math.isnan(r):
        return math.nan
    x = 1.0 - r * r
    if n <= 2 or x >= 1.0:
        return 1.0
    if x <= 0.0:
        return 0.0
    a, b = (n - 2) / 2.0, 0.5
    flip = x > (a + 1.0) / (a + b + 2.0)
    if flip:
        a, b, x = b, a, 1.0 - x
    tiny = 1e-300
    d = 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    c, fraction = 1.0, d
    for m in range(1, 100000):
        even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        for term in (even, odd):
            d = 1.0 + term * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + term / c
            c = c if abs(c) > tiny else tiny
            fraction *= c * d
        if abs(c * d - 1.0) < 1e-15:
            break
    log_front = (
        math.lgamma(a + b)
        - math.lgamma(a)
        - math.lgamma(b)
        + a * math.log(x)
        + b * math.log1p(-x)
    )
    value = math.exp(log_front) * fraction / a
    return 1.0 - value if flip else value


def _pearson(x, y):
    x = np.asarray(x, np.float64) - np.mean(x)
    y = np.asarray(y, np.float64) - np.mean(y)
    return float(np.sum(x * y) / np.sqrt(np.sum(x * x) * np.sum(y * y)))


def evaluate_word_pairs(
    vectors,
    path,
    delimiter="\t",
    restrict_vocab=300000,
    case_insensitive=True,
    dummy4unknown=False,
):
    """Correlation with human similarity judgements (gensim protocol).

    Args:
        vectors: a `WordVectors`.
        path: file of `word1<delim>word2<delim>score` lines; lines starting
            with `#` are comments (wordsim353.tsv, simlex999.txt).
        delimiter: field separator.
        restrict_vocab: only the first `restrict_vocab` words are used (an
            int >= 1, or None for all).
        case_insensitive: compare upper-cased words.
        dummy4unknown: give pairs with unknown words similarity 0 instead of
            skipping them.

    Returns:
        `((pearson, pvalue), (spearman, pvalue), oov_ratio)`, as gensim's:
        the Pearson and Spearman correlations between cosine similarity and
        the gold scores, each a `CorrelationResult` that unpacks as
        `(statistic, pvalue)` with scipy's two-sided p-value, and the
        percentage of pairs with an out-of-vocabulary word. Unlike gensim,
        the file is always read as UTF-8 (no `encoding`), and 2 or more
        pairs must be in the vocabulary (gensim accepts 1 and gets NaN).

    Raises:
        TypeError: `vectors` is not a `WordVectors`, or `restrict_vocab` is
            neither an integer nor None.
        ValueError: `restrict_vocab` is < 1, or fewer than 2 pairs are in
            the vocabulary.

    Example:

    >>> import os, tempfile
    >>> import numpy as np
    >>> from keras_seqlayers.embeddings import WordVectors
    >>> wv = WordVectors(
    ...     ["cat", "dog", "car", "bus"],
    ...     np.array([[1.0, 0.1], [1.0, 0.3], [0.2, 1.0], [0.1, 1.0]]),
    ... )
    >>> path = os.path.join(tempfile.mkdtemp(), "pairs.tsv")
    >>> with open(path, "w") as f:
    ...     _ = f.write("cat\\tdog\\t9.0\\ncar\\tbus\\t8.0\\ncat\\tcar\\t2.0\\n"
    ...                 "dog\\tbus\\t1.0\\ncat\\tfish\\t5.0\\n")
    >>> (pearson, p), (spearman, _), oov_ratio = evaluate_word_pairs(wv, path)
    >>> round(spearman, 2), oov_ratio
    (0.6, 20.0)
    """
    _check_vectors(vectors)
    ok_vocab = _ok_vocab(vectors, restrict_vocab, case_insensitive)
    normed = vectors.get_normed_vectors()
    gold, model = [], []
    oov = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            # As gensim: no strip, so a field with outer blanks is another
            # word and a trailing delimiter makes a fourth field.
            parts = line.split(delimiter)
            if len(parts) != 3:
                continue
            a, b, score = parts
            try:
                score = float(score)
            except ValueError:
                continue
            if case_insensitive:
                a, b = a.upper(), b.upper()
            if a not in ok_vocab or b not in ok_vocab:
                oov += 1
                if dummy4unknown:
                    gold.append(score)
                    model.append(0.0)
                continue
            gold.append(score)
            model.append(float(normed[ok_vocab[a]] @ normed[ok_vocab[b]]))
    if len(gold) < 2:
        raise ValueError(
            f"{path}: fewer than 2 pairs are in the vocabulary; no correlation."
        )
    pearson = _pearson(gold, model)
    spearman = _pearson(_ranks(gold), _ranks(model))
    pearson = CorrelationResult(pearson, _correlation_pvalue(pearson, len(gold)))
    spearman = CorrelationResult(spearman, _correlation_pvalue(spearman, len(gold)))
    # gensim's two formulas (with dummies, `gold` already holds the OOV pairs).
    if dummy4unknown:
        oov_ratio = 100.0 * oov / len(gold)
    else:
        oov_ratio = 100.0 * oov / (len(gold) + oov)
    return pearson, spearman, oov_ratio

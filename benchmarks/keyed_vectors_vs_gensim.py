"""Every gensim KeyedVectors call that WordVectors offers, on GoogleNews vectors.

Loads the vectors with gensim, converts them with `WordVectors.from_gensim`
(and back with `to_gensim`, checked equal), then asks both libraries the same
queries: words drawn at random from the 10,000 most frequent, and the
questions-words analogies (gensim's test data) whose words are all in the
vocabulary. For each call it prints how many answers agree (ranked lists:
the same words in the same order with scores within `--tol`; scalars and
arrays: within `--tol`; ranks and words: equal), the largest score
difference, the median time per call of each, and their ratio (gensim's /
ours; above 1, ours is faster).

Usage:
    python benchmarks/keyed_vectors_vs_gensim.py \
        [--vectors /work/shared/data/GoogleNews-vectors-negative300-bolukbasi.bin]
        [-n 300] [--tol 1e-5]
"""

import argparse
import os
import tempfile
import time

import numpy as np
from gensim.models import KeyedVectors
from gensim.test.utils import datapath

from keras_seqlayers.embeddings import WordVectors


def analogy_questions(wv, n):
    questions = []
    with open(datapath("questions-words.txt"), encoding="utf-8") as f:
        for line in f:
            words = line.split()
            if len(words) == 4 and all(w in wv for w in words):
                questions.append(words)
    step = max(1, len(questions) // n)
    return questions[::step][:n]


def difference(ours, theirs):
    """Largest score difference, and whether the answers agree within it."""
    if isinstance(ours, list):
        same_words = [w for w, _ in ours] == [w for w, _ in theirs]
        if not ours:
            return 0.0, same_words
        gap = np.max(np.abs(np.subtract([s for _, s in ours], [s for _, s in theirs])))
        return float(gap), same_words
    if isinstance(ours, str | int) and not isinstance(ours, bool):
        return 0.0, ours == theirs
    return float(np.max(np.abs(np.asarray(ours) - np.asarray(theirs)))), True


def compare(name, calls, ours, theirs, tol):
    """Runs each call on both tables, timing each side; prints one row.

    Times are medians per call: on a shared machine a few calls land on a
    descheduled core, and a sum would report those.
    """
    t_ours, t_theirs = [], []
    agree, worst, differs = 0, 0.0, []
    for call in calls:
        t = time.perf_counter()
        a = call(ours)
        t_ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        b = call(theirs)
        t_theirs.append(time.perf_counter() - t)
        gap, same = difference(a, b)
        worst = max(worst, gap)
        agree += same and gap <= tol
        if not (same and gap <= tol):
            differs.append(f"  {name}: ours {a!r:.70}, gensim {b!r:.70}")
    mine, gensims = np.median(t_ours) * 1e6, np.median(t_theirs) * 1e6
    print(
        f"{name:<46} {agree:>5}/{len(calls):<5} {worst:>9.1e} "
        f"{mine:>9.0f} {gensims:>9.0f} {gensims / mine:>6.2f}"
    )
    for line in differs:
        print(line)
    return agree == len(calls)


def query_sets(wv, n, seed):
    rng = np.random.default_rng(seed)
    frequent = min(10000, len(wv))
    words = [wv.index_to_key[i] for i in rng.choice(frequent, n, replace=False)]
    pairs = [
        tuple(wv.index_to_key[i] for i in rng.choice(frequent, 2)) for _ in range(n)
    ]
    groups = [
        [wv.index_to_key[i] for i in rng.choice(frequent, 4, replace=False)]
        for _ in range(n)
    ]
    vectors = [
        wv.vectors[i] * 2 - wv.vectors[j] for i, j in rng.choice(frequent, (n, 2))
    ]
    return words, pairs, groups, vectors, analogy_questions(wv, n)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--vectors",
        default="/work/shared/data/GoogleNews-vectors-negative300-bolukbasi.bin",
    )
    parser.add_argument("-n", type=int, default=300, help="queries per call")
    parser.add_argument("--tol", type=float, default=1e-5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    kv = KeyedVectors.load_word2vec_format(args.vectors, binary=True)
    t = time.perf_counter()
    wv = WordVectors.from_gensim(kv)
    t_from = time.perf_counter() - t
    t = time.perf_counter()
    back = wv.to_gensim()
    t_to = time.perf_counter() - t
    round_trip = back.index_to_key == kv.index_to_key and np.array_equal(
        back.vectors, kv.vectors
    )
    print(
        f"{len(wv)} x {wv.vector_size} vectors; from_gensim {t_from:.2f}s, "
        f"to_gensim {t_to:.2f}s, round trip identical: {round_trip}"
    )
    # Both sides' normalised tables are built once, outside the timings.
    wv.get_normed_vectors()
    kv.fill_norms()

    words, pairs, groups, vectors, questions = query_sets(wv, args.n, args.seed)
    print(f"{len(questions)} analogy questions; tolerance {args.tol:g}")
    print(
        f"{'call':<46} {'agree':>11} {'max diff':>9} {'ours us':>9} "
        f"{'gensim us':>9} {'ratio':>6}"
    )
    cases = [
        ("most_similar(w, topn=10)", [lambda m, w=w: m.most_similar(w) for w in words]),
        (
            "most_similar([b, c], [a], topn=10)",
            [lambda m, q=q: m.most_similar(q[1:3], [q[0]]) for q in questions],
        ),
        (
            "most_similar(w, topn=10, restrict_vocab=5000)",
            [lambda m, w=w: m.most_similar(w, restrict_vocab=5000) for w in words],
        ),
        (
            "most_similar([w, vector], [(w2, -0.5)])",
            [
                lambda m, w=w, v=v, p=p: m.most_similar([w, v], [(p[0], -0.5)])
                for w, v, p in zip(words, vectors, pairs, strict=True)
            ],
        ),
        (
            "most_similar([b, c], [a], topn=None)",
            [
                lambda m, q=q: m.most_similar(q[1:3], [q[0]], topn=None)
                for q in questions
            ],
        ),
        (
            "most_similar_cosmul([b, c], [a], topn=10)",
            [lambda m, q=q: m.most_similar_cosmul(q[1:3], [q[0]]) for q in questions],
        ),
        (
            "similar_by_word(w, topn=20)",
            [lambda m, w=w: m.similar_by_word(w, topn=20) for w in words],
        ),
        (
            "similar_by_vector(v, topn=10)",
            [lambda m, v=v: m.similar_by_vector(v) for v in vectors],
        ),
        ("similarity(w1, w2)", [lambda m, p=p: m.similarity(*p) for p in pairs]),
        ("distance(w1, w2)", [lambda m, p=p: m.distance(*p) for p in pairs]),
        (
            "n_similarity(ws1, ws2)",
            [lambda m, g=g: m.n_similarity(g[:2], g[2:]) for g in groups],
        ),
        ("distances(w)", [lambda m, w=w: m.distances(w) for w in words]),
        (
            "distances(v, other_words)",
            [
                lambda m, v=v, g=g: m.distances(v, g)
                for v, g in zip(vectors, groups, strict=True)
            ],
        ),
        ("rank(w1, w2)", [lambda m, p=p: m.rank(*p) for p in pairs]),
        ("doesnt_match(4 words)", [lambda m, g=g: m.doesnt_match(g) for g in groups]),
        (
            "get_vector(w, norm=True)",
            [lambda m, w=w: m.get_vector(w, norm=True) for w in words],
        ),
        ("get_index(w)", [lambda m, w=w: m.get_index(w) for w in words]),
        ("wv[[4 words]]", [lambda m, g=g: m[g] for g in groups]),
    ]
    all_agree = True
    for name, calls in cases:
        all_agree &= compare(name, calls, wv, kv, args.tol)

    sims = datapath("wordsim353.tsv")
    ours_pairs = wv.evaluate_word_pairs(sims)
    theirs_pairs = kv.evaluate_word_pairs(sims)
    ours_an = wv.evaluate_word_analogies(datapath("questions-words.txt"))
    theirs_an = kv.evaluate_word_analogies(datapath("questions-words.txt"))
    print(
        f"evaluate_word_pairs(wordsim353): pearson {ours_pairs[0][0]:.6f} "
        f"(p {ours_pairs[0][1]:.3g}) vs {theirs_pairs[0][0]:.6f} "
        f"(p {theirs_pairs[0][1]:.3g}), spearman {ours_pairs[1][0]:.6f} "
        f"(p {ours_pairs[1][1]:.3g}) vs {theirs_pairs[1][0]:.6f} "
        f"(p {theirs_pairs[1][1]:.3g}), oov {ours_pairs[2]:.2f}% vs "
        f"{theirs_pairs[2]:.2f}%"
    )
    print(
        f"evaluate_word_analogies(questions-words): accuracy {ours_an[0]:.6f} vs "
        f"{theirs_an[0]:.6f}; sections identical: {ours_an[1] == theirs_an[1]}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "v.bin")
        wv.save_word2vec_format(path, binary=True)
        saved = KeyedVectors.load_word2vec_format(path, binary=True)
    same = saved.index_to_key == kv.index_to_key
    same = same and np.array_equal(saved.vectors, kv.vectors)
    print(f"save_word2vec_format read back by gensim identical: {same}")
    print(f"every call agrees: {all_agree}")


if __name__ == "__main__":
    main()

"""Agreement of ksl.embeddings.analogy / most_similar with gensim on GoogleNews.

Loads the shared GoogleNews subset with both libraries, then asks
`king - man + woman` and the first N questions-words analogies whose four
words are all in the vocabulary (spread over all sections), comparing our
top-1 `analogy(a, b, c)` with gensim's
`most_similar(positive=[b, c], negative=[a], topn=1)`, and our
`most_similar(word, topn=10)` with gensim's for the same words.

Usage:
    python benchmarks/analogy_agreement_vs_gensim.py \
        [--vectors ../shared/data/GoogleNews-vectors-negative300-bolukbasi.bin] [-n 100]
"""

import argparse
import time

from gensim.models import KeyedVectors
from gensim.test.utils import datapath

import keras_seqlayers as ksl


def questions(wv, n):
    sections = {}
    with open(datapath("questions-words.txt"), encoding="utf-8") as f:
        name = None
        for line in f:
            if line.startswith(":"):
                name = line[1:].strip()
                continue
            words = line.split()
            if len(words) == 4 and all(w in wv for w in words):
                sections.setdefault(name, []).append(words)
    # Round-robin over sections so every kind of analogy is represented.
    out, i = [], 0
    while len(out) < n and any(i < len(q) for q in sections.values()):
        for q in sections.values():
            if i < len(q) and len(out) < n:
                out.append(q[i])
        i += 1
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--vectors",
        default="../shared/data/GoogleNews-vectors-negative300-bolukbasi.bin",
    )
    parser.add_argument("-n", type=int, default=100)
    args = parser.parse_args()

    t = time.perf_counter()
    ours = ksl.embeddings.load_word2vec_format(args.vectors, binary=True)
    t_ours = time.perf_counter() - t
    t = time.perf_counter()
    theirs = KeyedVectors.load_word2vec_format(args.vectors, binary=True)
    t_theirs = time.perf_counter() - t
    print(
        f"loaded {len(ours)} x {ours.vector_size}: ours {t_ours:.2f}s, "
        f"gensim {t_theirs:.2f}s; identical vectors: "
        f"{(ours.vectors == theirs.vectors).all()}"
    )

    print(
        "king - man + woman ->",
        ours.analogy("man", "king", "woman"),
        "| gensim:",
        theirs.most_similar(["king", "woman"], ["man"], topn=1)[0][0],
    )
    qs = [["man", "king", "woman", "queen"], *questions(ours, args.n)]
    agree = 0
    correct_ours = correct_gensim = 0
    for a, b, c, expected in qs:
        mine = ours.analogy(a, b, c)
        gens = theirs.most_similar(positive=[b, c], negative=[a], topn=1)[0][0]
        agree += mine == gens
        correct_ours += mine == expected
        correct_gensim += gens == expected
        if mine != gens:
            print(f"  disagree: {a}:{b} :: {c}:? ours={mine} gensim={gens}")
    print(
        f"analogy top-1 agreement: {agree}/{len(qs)}; "
        f"correct: ours {correct_ours}, gensim {correct_gensim}"
    )

    same = 0
    words = [q[1] for q in qs]
    for w in words:
        same += [x for x, _ in ours.most_similar(w, topn=10)] == [
            x for x, _ in theirs.most_similar(w, topn=10)
        ]
    print(f"most_similar top-10 lists identical: {same}/{len(words)}")


if __name__ == "__main__":
    main()

"""keras_seqlayers Word2Vec vs gensim Word2Vec: speed and quality, one process.

Same tokens (gensim's simple_preprocess), same hyperparameters (skip-gram,
window 5, negative 5, dim 100, min_count 5, sample 1e-3, 5 epochs), runs
alternated. words/sec = corpus tokens x epochs / wall time for both, where
wall time covers vocabulary building and training (for ours also the XLA
compilation of the training step). Quality: Spearman on wordsim353 and
accuracy on questions-words (gensim's protocol for both models).

Usage:
    python benchmarks/word2vec_vs_gensim.py [--corpus lee|wikisample|wiki|PATH]
        [--repeats 2] [--workers 2] [--epochs 5]
"""

import argparse
import bz2
import os
import re
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import gensim
import numpy as np
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess

import keras_seqlayers as ksl


def load_corpus(name):
    if name == "lee":
        with open(datapath("lee_background.cor"), encoding="utf-8") as f:
            return [simple_preprocess(line) for line in f]
    if name == "wikisample":
        # The Wikipedia sample bundled with keras_seqlayers, one paragraph
        # per document.
        docs = ksl.datasets.load_wikipedia_sample(unit="paragraph")
        return [simple_preprocess(d) for d in docs]
    if name == "wiki":
        # Article texts from gensim's shortened enwiki dump; markup is
        # stripped crudely (same tokens for both libraries).
        path = datapath(
            "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
        )
        with bz2.open(path, "rt", encoding="utf-8") as f:
            xml = f.read()
        texts = re.findall(r"<text[^>]*>(.*?)</text>", xml, flags=re.S)
        docs = []
        for text in texts:
            for para in text.split("\n\n"):
                tokens = simple_preprocess(re.sub(r"\{\{.*?\}\}|<.*?>", " ", para))
                if len(tokens) > 3:
                    docs.append(tokens)
        return docs
    with open(name, encoding="utf-8") as f:
        return [simple_preprocess(line) for line in f]


def quality(wv):
    _, (spearman, _), oov = ksl.embeddings.evaluate_word_pairs(
        wv, datapath("wordsim353.tsv")
    )
    acc, _, aoov = ksl.embeddings.evaluate_word_analogies(
        wv, datapath("questions-words.txt"), return_oov_ratio=True
    )
    return spearman, oov, acc, aoov


def run_gensim(corpus, args):
    start = time.perf_counter()
    model = gensim.models.Word2Vec(
        corpus,
        sg=1,
        vector_size=args.dim,
        window=5,
        negative=5,
        hs=0,
        min_count=5,
        sample=1e-3,
        epochs=args.epochs,
        workers=args.workers,
        seed=1,
    )
    wall = time.perf_counter() - start
    wv = ksl.embeddings.WordVectors(model.wv.index_to_key, model.wv.vectors)
    return wall, wv


def run_ours(corpus, args):
    import keras

    keras.utils.set_random_seed(1)
    start = time.perf_counter()
    model = ksl.models.Word2Vec.from_corpus(
        corpus, min_count=5, embedding_dim=args.dim, num_negatives=5, seed=1
    )
    history = model.fit(
        corpus,
        epochs=args.epochs,
        window=5,
        sample=1e-3,
        batch_size=args.batch_size,
        verbose=0,
        seed=1,
    )
    wall = time.perf_counter() - start
    return wall, model.vectors, history.history["words_per_sec"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="lee")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=None)
    args = parser.parse_args()

    corpus = load_corpus(args.corpus)
    tokens = sum(len(d) for d in corpus)
    print(
        f"corpus={args.corpus}: {len(corpus)} documents, {tokens} tokens; "
        f"epochs={args.epochs}, gensim workers={args.workers}"
    )
    ratios, spearman_diffs = [], []
    for r in range(args.repeats):
        g_wall, g_wv = run_gensim(corpus, args)
        o_wall, o_wv, per_epoch = run_ours(corpus, args)
        g_rate = tokens * args.epochs / g_wall
        o_rate = tokens * args.epochs / o_wall
        ratios.append(o_rate / g_rate)
        steady = np.mean(per_epoch[1:]) if len(per_epoch) > 1 else per_epoch[0]
        g_sp, o_sp = quality(g_wv)[0], quality(o_wv)[0]
        spearman_diffs.append(o_sp - g_sp)
        print(
            f"[run {r + 1}] gensim: {g_wall:.2f}s {g_rate:,.0f} words/s | "
            f"ours: {o_wall:.2f}s {o_rate:,.0f} words/s "
            f"(epochs 2+: {steady:,.0f} words/s) | ratio ours/gensim "
            f"{o_rate / g_rate:.2f} | wordsim353 Spearman gensim {g_sp:.3f} "
            f"ours {o_sp:.3f}",
            flush=True,
        )
    print(
        f"ratio ours/gensim (words/sec): median {np.median(ratios):.2f}, "
        f"min {np.min(ratios):.2f}, max {np.max(ratios):.2f} over "
        f"{len(ratios)} runs"
    )
    print(
        "Spearman difference ours - gensim per run: "
        + ", ".join(f"{d:+.3f}" for d in spearman_diffs)
    )
    g_q, o_q = quality(g_wv), quality(o_wv)
    print("last run:")
    for name, (sp, oov, acc, aoov) in (("gensim", g_q), ("ours", o_q)):
        print(
            f"{name:7s} wordsim353 Spearman {sp:.3f} (OOV {oov:.1f}%), "
            f"questions-words accuracy {acc:.3f} (OOV {aoov:.1f}%)"
        )
    print(f"Spearman difference ours - gensim (last run): {o_q[0] - g_q[0]:+.3f}")


if __name__ == "__main__":
    main()

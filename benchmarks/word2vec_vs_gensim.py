"""keras_seqlayers Word2Vec vs gensim Word2Vec: speed and quality, one process.

Same tokens (gensim's simple_preprocess), same hyperparameters (skip-gram,
window 5, negative 5 or hierarchical softmax, dim 100, min_count 5, sample
1e-3, 5 epochs), runs alternated. Each side trains in its one documented
call (gensim's `Word2Vec(sentences, ...)`, our `Word2Vec.from_corpus(corpus,
epochs=...)`). words/sec = corpus tokens x epochs / wall time for both, where
wall time covers vocabulary building and training (for ours also the
tracing and XLA compilation of the training step). Quality, gensim's
protocol for both models: Spearman on wordsim353 and SimLex-999, accuracy
on questions-words (the three files gensim ships in its test data).

Usage:
    python benchmarks/word2vec_vs_gensim.py [--corpus lee|wikisample|wiki|PATH]
        [--repeats 5] [--workers 2] [--epochs 5]
        [--loss negative_sampling|hierarchical_softmax]
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


QUALITY = ("wordsim353", "simlex999", "questions-words")


def quality(wv):
    """Spearman on wordsim353 and SimLex-999, accuracy on questions-words."""
    scores = []
    for name in ("wordsim353.tsv", "simlex999.txt"):
        _, (spearman, _), _ = ksl.embeddings.evaluate_word_pairs(wv, datapath(name))
        scores.append(spearman)
    accuracy, _ = ksl.embeddings.evaluate_word_analogies(
        wv, datapath("questions-words.txt")
    )
    return [*scores, accuracy]


def run_gensim(corpus, args):
    hs = args.loss == "hierarchical_softmax"
    start = time.perf_counter()
    model = gensim.models.Word2Vec(
        corpus,
        sg=1,
        vector_size=args.dim,
        window=5,
        negative=0 if hs else 5,
        hs=int(hs),
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
        corpus,
        min_count=5,
        embedding_dim=args.dim,
        loss=args.loss,
        num_negatives=5,
        window=5,
        sample=1e-3,
        epochs=args.epochs,
        batch_size=args.batch_size,
        verbose=0,
        seed=1,
    )
    wall = time.perf_counter() - start
    return wall, model.vectors, model.history.history["words_per_sec"]


def spread(values):
    return (
        f"median {np.median(values):.2f}, min {np.min(values):.2f}, "
        f"max {np.max(values):.2f}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="lee")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument(
        "--loss",
        default="negative_sampling",
        choices=("negative_sampling", "hierarchical_softmax"),
    )
    args = parser.parse_args()

    corpus = load_corpus(args.corpus)
    tokens = sum(len(d) for d in corpus)
    print(
        f"corpus={args.corpus}: {len(corpus)} documents, {tokens} tokens; "
        f"epochs={args.epochs}, loss={args.loss}, gensim workers={args.workers}"
    )
    ratios, deltas = [], []
    for r in range(args.repeats):
        g_wall, g_wv = run_gensim(corpus, args)
        o_wall, o_wv, per_epoch = run_ours(corpus, args)
        g_rate = tokens * args.epochs / g_wall
        o_rate = tokens * args.epochs / o_wall
        ratios.append(o_rate / g_rate)
        steady = np.mean(per_epoch[1:]) if len(per_epoch) > 1 else per_epoch[0]
        g_q, o_q = quality(g_wv), quality(o_wv)
        deltas.append(np.subtract(o_q, g_q))
        print(
            f"[run {r + 1}] gensim: {g_wall:.2f}s {g_rate:,.0f} words/s | "
            f"ours: {o_wall:.2f}s {o_rate:,.0f} words/s "
            f"(epochs 2+: {steady:,.0f} words/s) | ratio ours/gensim "
            f"{o_rate / g_rate:.2f} | "
            + ", ".join(
                f"{name} {g:.3f} / {o:.3f}"
                for name, g, o in zip(QUALITY, g_q, o_q, strict=True)
            )
            + " (gensim / ours)",
            flush=True,
        )
    print(f"ratio ours/gensim (words/sec) over {len(ratios)} runs: {spread(ratios)}")
    deltas = np.array(deltas)
    for k, name in enumerate(QUALITY):
        print(
            f"{name} ours - gensim per run: "
            + ", ".join(f"{d:+.3f}" for d in deltas[:, k])
            + f" (mean {deltas[:, k].mean():+.3f})"
        )


if __name__ == "__main__":
    main()

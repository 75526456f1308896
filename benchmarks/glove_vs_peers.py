"""GloVe: our co-occurrence counting and training against peer packages.

In one run, on one corpus and one co-occurrence matrix:

* co-occurrence counting: `ksl.text.cooccurrence` against glove-python's
  Cython `Corpus.fit` (the `bicleaner-ai-glove` fork, the one glove-python
  build that installs on Python 3.11 here), tokens per second;
* training: seconds per epoch of `ksl.models.GloVe` against glove-python's
  Cython AdaGrad (2 threads) and mittens (full-batch, dense `V x V`), each
  given the same matrix, same dimension, x_max, alpha and learning rate;
* quality of the vectors on wordsim353 (Spearman) and questions-words
  (accuracy), evaluated for every model with gensim's `evaluate_word_pairs`
  / `evaluate_word_analogies` (restricted vocabulary, case-insensitive), next
  to gensim word2vec (skip-gram, 2 workers) on the same tokens.

Runs are interleaved (ours, then each peer, repeated `--rounds` times) and
ratios are printed, since absolute times on a shared machine are noisy. Each
round seeds ours and glove-python with its number (mittens reseeds NumPy from
the system when it draws its initial vectors), and quality is the mean and
standard deviation over rounds: on corpora this small one run's Spearman
moves by several hundredths with the seed.

By default every model trains for 50 epochs, the GloVe paper's iteration
count for vectors of fewer than 300 dimensions: after 10, every GloVe here is
still far from its trained quality (benchmarks/RESULTS.md).

Usage:
    python benchmarks/glove_vs_peers.py [--corpus FILE ...] [--epochs 50]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import gensim
import keras
from gensim.models import KeyedVectors, Word2Vec
from gensim.test.utils import datapath

import keras_seqlayers as ksl

TOKEN = re.compile(r"[a-z0-9']+")


def read_corpus(paths):
    """Token lists: the bundled Wikipedia sample by paragraph, or files by line."""
    if not paths:
        from keras_seqlayers.datasets import load_wikipedia_sample

        texts = load_wikipedia_sample(unit="paragraph")
    else:
        texts = []
        for path in paths:
            with open(path, encoding="utf8") as f:
                texts.extend(f)
    docs = (TOKEN.findall(text.lower()) for text in texts)
    return [d for d in docs if d]


def evaluate(words, vectors):
    kv = KeyedVectors(vectors.shape[1])
    kv.add_vectors(words, vectors.astype("float32"))
    _, spearman, oov = kv.evaluate_word_pairs(datapath("wordsim353.tsv"))
    accuracy, _ = kv.evaluate_word_analogies(datapath("questions-words.txt"))
    return spearman.statistic, oov, accuracy


MITTENS = """
import sys, time, numpy as np
import mittens
data = np.load(sys.argv[1])
model = mittens.GloVe(n=int(sys.argv[2]), max_iter=int(sys.argv[3]),
                      learning_rate=0.05, xmax=100, alpha=0.75,
                      display_progress=0)
start = time.perf_counter()
vectors = model.fit(data["X"])
np.savez(sys.argv[1], seconds=time.perf_counter() - start, vectors=vectors)
"""


def run_mittens(dense, dim, epochs):
    """Fits mittens (its default TensorFlow build) in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "mittens.npz")
        np.savez(path, X=dense)
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
        subprocess.run(
            [sys.executable, "-c", MITTENS, path, str(dim), str(epochs)],
            check=True,
            env=env,
            capture_output=True,
        )
        with np.load(path) as out:
            return float(out["seconds"]), out["vectors"]


def try_import(name):
    try:
        return __import__(name), None
    except Exception as error:  # report why a peer cannot run
        return None, f"{type(error).__name__}: {error}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--corpus",
        nargs="*",
        default=[],
        help="text files, one document per line (default: the bundled "
        "Wikipedia sample, one document per paragraph)",
    )
    parser.add_argument("--min-count", type=int, default=10)
    parser.add_argument("--dim", type=int, default=50)
    parser.add_argument("--window", type=int, default=10)
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--batch-size", type=int, nargs="+", default=[65536, 16384])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--mittens-max-vocab", type=int, default=6000)
    args = parser.parse_args()
    if args.epochs < 2:
        # The first epoch (with compiling) is timed apart from the others.
        parser.error(f"--epochs must be at least 2; received {args.epochs}")

    docs = read_corpus(args.corpus)
    n_tokens = sum(len(d) for d in docs)
    vocab = ksl.text.Vocabulary.build(docs, min_count=args.min_count)
    V = len(vocab)
    ids = [np.asarray(d, dtype="int64") for d in vocab.encode(docs)]
    print(f"corpus: {len(docs)} documents, {n_tokens} tokens, V={V}")
    print(f"python {sys.version.split()[0]}, gensim {gensim.__version__}")

    glove_python, why = try_import("glove")
    if glove_python is None:
        print("glove-python: not available:", why)
    # mittens switches TensorFlow to graph mode when imported, which would
    # break Keras here: it runs in a subprocess.
    mittens_check = subprocess.run(
        [sys.executable, "-c", "import mittens"], capture_output=True, text=True
    )
    mittens = mittens_check.returncode == 0
    if not mittens:
        print("mittens: not available:", mittens_check.stderr.strip()[-300:])

    # --- co-occurrence counting -------------------------------------------
    X = None
    count_times = {"ours": [], "glove-python": []}
    count_cpu = {"ours": [], "glove-python": []}
    for _ in range(args.rounds):
        start, cpu = time.perf_counter(), time.process_time()
        X = ksl.text.cooccurrence(ids, V, window=args.window, verbose=0)
        count_times["ours"].append(time.perf_counter() - start)
        count_cpu["ours"].append(time.process_time() - cpu)
        if glove_python is not None:
            # glove-python counts from token lists with its own dictionary,
            # window 10, 1/distance weights (upper triangle only).
            dictionary = {w: i for i, w in enumerate(vocab.words)}
            corpus = glove_python.Corpus(dictionary)
            start, cpu = time.perf_counter(), time.process_time()
            corpus.fit(docs, window=args.window, ignore_missing=True)
            count_times["glove-python"].append(time.perf_counter() - start)
            count_cpu["glove-python"].append(time.process_time() - cpu)
    print(f"\nco-occurrence: nnz={X.nnz} (window {args.window}, symmetric, 1/d)")
    ours, ours_cpu = min(count_times["ours"]), min(count_cpu["ours"])
    print(
        f"  ours         {n_tokens / ours / 1e6:6.2f} M tokens/s wall"
        f" ({ours:.2f} s; {ours_cpu:.2f} s CPU)"
    )
    if count_times["glove-python"]:
        peer, peer_cpu = (
            min(count_times["glove-python"]),
            min(count_cpu["glove-python"]),
        )
        print(
            f"  glove-python {n_tokens / peer / 1e6:6.2f} M tokens/s wall"
            f" ({peer:.2f} s; {peer_cpu:.2f} s CPU; counts the upper triangle"
            f" only)  -> ours/peer time {ours / peer:.2f} wall,"
            f" {ours_cpu / peer_cpu:.2f} CPU"
        )

    # --- training ----------------------------------------------------------
    words = vocab.words[3:]  # reserved <PAD>, <UNK>, <EOS> never co-occur
    results = {}
    epoch_times = {}

    def record(name, seconds, vectors):
        epoch_times.setdefault(name, []).append(seconds / args.epochs)
        results.setdefault(name, []).append(evaluate(words, vectors[3:]))

    for seed in range(args.rounds):
        for batch_size in args.batch_size:
            keras.utils.set_random_seed(seed)
            # Its default compile: XLA, 32 steps per compiled call.
            model = ksl.models.GloVe(V, args.dim)
            # The first epoch includes compiling: time it apart, count it in.
            model.fit(X, epochs=1, batch_size=batch_size, seed=seed, verbose=0)
            start = time.perf_counter()
            model.fit(X, epochs=args.epochs - 1, batch_size=batch_size, verbose=0)
            seconds = (time.perf_counter() - start) * args.epochs / (args.epochs - 1)
            record(f"ours (batch {batch_size})", seconds, model.glove.vectors())

        if glove_python is not None:
            import scipy.sparse as sp

            coo = sp.coo_matrix(
                (X.values, (X.rows.astype("int32"), X.cols.astype("int32"))),
                shape=(V, V),
            )
            # The whole symmetric matrix, as ours gets: glove-python's own
            # Corpus keeps the upper triangle only, but its single (tied)
            # table would then see each pair once per epoch where the
            # GloVe objective sums over both (i, j) and (j, i).
            peer = glove_python.Glove(
                no_components=args.dim, learning_rate=0.05, random_state=seed
            )
            start = time.perf_counter()
            peer.fit(coo, epochs=args.epochs, no_threads=2)
            record("glove-python", time.perf_counter() - start, peer.word_vectors)

        if mittens and args.mittens_max_vocab >= V:
            seconds, vectors = run_mittens(X.to_dense(), args.dim, args.epochs)
            record("mittens", seconds, vectors)
        elif mittens:
            print(f"mittens skipped: dense V x V with V={V} > --mittens-max-vocab")

    start = time.perf_counter()
    w2v = Word2Vec(
        docs,
        vector_size=args.dim,
        window=args.window,
        min_count=args.min_count,
        sg=1,
        negative=5,
        epochs=args.epochs,
        workers=2,
        seed=0,
    )
    w2v_seconds = time.perf_counter() - start
    w2v_vectors = np.stack([w2v.wv[w] for w in words if w in w2v.wv])
    results["gensim word2vec (sg)"] = [
        evaluate([w for w in words if w in w2v.wv], w2v_vectors)
    ]
    epoch_times["gensim word2vec (sg)"] = [w2v_seconds / args.epochs]

    ours = min(epoch_times[f"ours (batch {args.batch_size[0]})"])
    print(
        f"\ntraining: dim {args.dim}, {args.epochs} epochs, x_max 100, alpha 0.75,"
        f" AdaGrad lr 0.05; ours with its default compile (XLA, 32 steps per"
        " call), s/epoch excludes compiling"
    )
    print(
        f"{'model':24s} {'s/epoch':>8s} {'ours/peer':>9s} {'runs':>4s}"
        f" {'ws353 mean+-sd':>15s} {'oov':>5s} {'analogy mean+-sd':>17s}"
    )

    def spread(values):
        # The sample standard deviation; none from a single run.
        return f"{values.std(ddof=1):.3f}" if len(values) > 1 else "  -  "

    for name, seconds in epoch_times.items():
        best = min(seconds)
        spearman, oov, accuracy = np.asarray(results[name]).T
        print(
            f"{name:24s} {best:8.3f} {ours / best:9.2f} {len(spearman):4d}"
            f" {spearman.mean():8.3f}+-{spread(spearman)} {oov.mean():4.0f}%"
            f" {accuracy.mean():10.3f}+-{spread(accuracy)}"
        )
    print(
        f"(ours/peer: ours at batch {args.batch_size[0]} over the row's time;"
        " < 1 means ours is faster. Quality: mean and standard deviation over"
        " the rounds, each its own seed. mittens' epoch is one full-batch step"
        " on a dense V x V matrix; word2vec is a quality reference whose epoch"
        " is over tokens, not pairs)"
    )


if __name__ == "__main__":
    main()

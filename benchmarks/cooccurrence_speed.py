"""Tokens per second of `ksl.text.cooccurrence` at window 10.

Two corpora: the bundled Wikipedia sample (tokenized, repeated to reach
`--tokens`) and a synthetic Zipfian corpus (ids drawn with p(rank) ~ 1/rank,
V=50,000: nearly every pair distinct, a pessimistic case for merging). One
and two threads are run alternately; wall time and process CPU time are both
printed, since the machine may be shared.

    python benchmarks/cooccurrence_speed.py [--tokens 4000000] [--rounds 3]
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np

import keras_seqlayers as ksl
from keras_seqlayers.datasets import load_wikipedia_sample


def wikipedia(n_tokens):
    docs = ksl.text.Tokenizer(lowercase=True, split="words").tokenize_to_lists(
        load_wikipedia_sample(unit="paragraph")
    )
    vocab = ksl.text.Vocabulary.build(docs, min_count=5)
    ids = [np.asarray(d, "int64") for d in vocab.encode(docs)]
    total = sum(d.size for d in ids)
    return ids * max(1, round(n_tokens / total)), len(vocab)


def zipf(n_tokens, V=50_000, seed=0):
    rng = np.random.default_rng(seed)
    p = 1.0 / np.arange(1, V - 2)
    tokens = rng.choice(np.arange(3, V), size=n_tokens, p=p / p.sum())
    lengths = rng.integers(20, 200, size=n_tokens // 20)
    docs = np.split(tokens, np.cumsum(lengths))
    return [d for d in docs if d.size], V


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tokens", type=int, default=4_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"CPU cores visible: {os.cpu_count()}")
    for name, (docs, V) in (
        ("wikipedia sample", wikipedia(args.tokens)),
        ("zipf synthetic", zipf(args.tokens)),
    ):
        n = sum(len(d) for d in docs)
        best = {}
        for _ in range(args.rounds):
            for threads in (1, 2):
                wall, cpu = time.perf_counter(), time.process_time()
                X = ksl.text.cooccurrence(
                    docs, V, window=10, num_threads=threads, verbose=0
                )
                wall = time.perf_counter() - wall
                cpu = time.process_time() - cpu
                old = best.get(threads, (np.inf, np.inf))
                best[threads] = (min(old[0], wall), min(old[1], cpu))
        print(f"{name}: {n} tokens, V={V}, nnz={X.nnz}")
        for threads, (wall, cpu) in best.items():
            print(
                f"  {threads} thread(s): {n / wall / 1e6:5.2f} M tokens/s wall"
                f" (best of {args.rounds}), {n / cpu / 1e6:5.2f} M tokens per"
                " CPU-second"
            )


if __name__ == "__main__":
    main()

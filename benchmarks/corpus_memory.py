"""Peak memory of reading a corpus from files: streamed does not grow with size.

Two corpora with the same vocabulary, one `--tokens` long and one
`--scale` times longer, are written as plain text, `.txt.gz` and `.bz2`
(one sentence per line). For each file a fresh Python process imports the
package, builds the vocabulary from the path (`Vocabulary.build(path)`) and
streams every id sequence through (`Vocabulary.encode_dataset(path)`,
one sequence per element, reduced inside tf.data to a token count), then
reports its peak resident
memory (`VmHWM` of /proc/self/status) and its resident memory after the
imports (TensorFlow alone is most of it, so the peak above the imports is
printed too). The check: each format's peak at `scale` times the tokens is
within 20% of its peak at the smaller size. The growth of the peak above
the imports is printed beside it but not checked: it is about 70 MiB and
moved by -3 to +19 MiB between sizes, with no direction, in the recorded
run. Rows "lines" only read the lines (`LineCorpus.lines()`, batched), to
show what each compression costs apart from tokenizing.

For contrast, `--in-memory` also runs the way a corpus is read without
files support: the lines read into a Python list, `Vocabulary.build(lines)`
and `vocab.encode(lines)`; its peak grows with the corpus.

`--word2vec` adds rows "word2vec": one epoch of training from each file,
`Word2Vec.from_corpus(path, min_count=1, epochs=1)` (vocabulary, one pass
to size the epoch, the epoch), held to the same 20% check; with
`--in-memory`, also from the list of the lines ("word2vec in memory").

    python benchmarks/corpus_memory.py [--tokens 500000] [--scale 10]
        [--formats txt gz bz2] [--in-memory] [--word2vec]
"""

import argparse
import bz2
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

WORDS_PER_LINE = 20
VOCAB = 20_000


def _peak_and_current_kib():
    """`VmHWM` and `VmRSS` of this process, in KiB."""
    fields = {}
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                fields[key] = int(value.split()[0])
    return fields["VmHWM"], fields["VmRSS"]


def child(path, mode):
    """Reads `path` in `mode` and prints one JSON line of measurements."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf

    import keras_seqlayers as ksl

    _, after_imports = _peak_and_current_kib()
    start = time.perf_counter()
    if mode == "lines":
        # Reading only: the lines are counted, not split into tokens.
        lines = ksl.text.LineCorpus(path).lines().batch(4096)
        lines.reduce(tf.constant(0, tf.int64), lambda n, b: n + tf.size(b, tf.int64))
        tokens = None
        vocab = ()
    elif mode == "streamed":
        vocab = ksl.text.Vocabulary.build(path)
        ids = vocab.encode_dataset(path)
        tokens = int(
            ids.reduce(tf.constant(0, tf.int64), lambda n, s: n + tf.size(s, tf.int64))
        )
    elif mode.startswith("word2vec"):
        corpus = path
        if mode == "word2vec-memory":
            with open(path, encoding="utf-8") as f:
                corpus = f.read().split("\n")
        model = ksl.models.Word2Vec.from_corpus(
            corpus, min_count=1, epochs=1, seed=0, verbose=0
        )
        tokens = None
        vocab = model.vocabulary
    else:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        vocab = ksl.text.Vocabulary.build(lines)
        tokens = sum(len(s) for s in vocab.encode(lines))
    seconds = time.perf_counter() - start
    peak, _ = _peak_and_current_kib()
    print(
        json.dumps(
            {
                "tokens": tokens,
                "vocab": len(vocab),
                "seconds": seconds,
                "peak_kib": peak,
                "after_imports_kib": after_imports,
            }
        )
    )


def write_corpus(directory, n_tokens, seed=0):
    """Writes a corpus of about `n_tokens` tokens in each format.

    Its first lines hold every word of the vocabulary once, so corpora of
    any size share one vocabulary; the rest are Zipf-distributed words.
    Returns `{format: path}`.
    """
    rng = np.random.default_rng(seed)
    words = np.array([f"w{i}" for i in range(VOCAB)])
    p = 1.0 / np.arange(1, VOCAB + 1)
    ids = np.concatenate(
        [
            np.arange(VOCAB),
            rng.choice(VOCAB, size=max(0, n_tokens - VOCAB), p=p / p.sum()),
        ]
    )
    lines = [
        " ".join(words[ids[i : i + WORDS_PER_LINE]])
        for i in range(0, ids.size, WORDS_PER_LINE)
    ]
    text = ("\n".join(lines) + "\n").encode("utf-8")
    base = os.path.join(directory, f"corpus_{n_tokens}")
    paths = {"txt": base + ".txt", "gz": base + ".txt.gz", "bz2": base + ".bz2"}
    with open(paths["txt"], "wb") as f:
        f.write(text)
    with gzip.open(paths["gz"], "wb", compresslevel=6) as f:
        f.write(text)
    with bz2.open(paths["bz2"], "wb") as f:
        f.write(text)
    return paths


def measure(path, mode):
    """Runs `child` in a fresh process; its measurements as a dict."""
    env = dict(os.environ)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    out = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--child", path, mode],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tokens", type=int, default=500_000)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--formats", nargs="+", default=["txt", "gz", "bz2"])
    parser.add_argument("--in-memory", action="store_true")
    parser.add_argument("--word2vec", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("PATH", "MODE"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    sizes = (args.tokens, args.tokens * args.scale)
    # (row label, child mode, format); labels "streamed" and "word2vec" are
    # the ones checked.
    runs = [("streamed", "streamed", fmt) for fmt in args.formats]
    runs += [("lines", "lines", fmt) for fmt in args.formats]
    if args.in_memory:
        runs.append(("in memory", "memory", "txt"))
    if args.word2vec:
        runs += [("word2vec", "word2vec", fmt) for fmt in args.formats]
        if args.in_memory:
            runs.append(("word2vec in memory", "word2vec-memory", "txt"))
    print(f"CPU cores visible: {os.cpu_count()}; vocabulary {VOCAB} words")
    print(
        "| reading | format | tokens | file MiB | seconds | tokens/s "
        "| RSS after imports MiB | peak RSS MiB | peak above imports MiB "
        "| peak growth | growth above imports |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    ok = True
    with tempfile.TemporaryDirectory() as directory:
        files = {n: write_corpus(directory, n) for n in sizes}
        for label, mode, fmt in runs:
            results = []
            for n in sizes:
                path = files[n][fmt]
                r = measure(path, mode)
                if r["tokens"] not in (None, n):
                    raise RuntimeError(f"read {r['tokens']} tokens of {n}: {path}")
                results.append(r)
                growth = r["peak_kib"] / results[0]["peak_kib"] - 1
                above = r["peak_kib"] - r["after_imports_kib"]
                first = results[0]["peak_kib"] - results[0]["after_imports_kib"]
                print(
                    f"| {label} | {fmt} | {n:,} "
                    f"| {os.path.getsize(path) / 2**20:.1f} | {r['seconds']:.1f} "
                    f"| {n / r['seconds']:,.0f} "
                    f"| {r['after_imports_kib'] / 1024:.0f} "
                    f"| {r['peak_kib'] / 1024:.0f} "
                    f"| {above / 1024:.0f} | {growth:+.1%} "
                    f"| {above / first - 1:+.1%} |",
                    flush=True,
                )
            if len({r["vocab"] for r in results}) != 1:
                raise RuntimeError(f"vocabulary sizes differ: {results}")
            if label in ("streamed", "word2vec") and growth > 0.20:
                ok = False
    print(
        f"streamed peak RSS (reading, and word2vec if run) at {args.scale}x "
        "the tokens within 20%: "
        f"{'yes' if ok else 'NO'}"
    )
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()

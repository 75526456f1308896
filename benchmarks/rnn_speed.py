"""Training-step time of our recurrent layers against their Keras twins.

One full step (forward, backward, Adam) of `Input -> layer -> MSE`, for each
pair, shape and `jit_compile` setting. The two models of a pair are timed in
alternation in one process, and the ratio of medians ours/Keras is printed
(below 1.0: ours is faster).

    python benchmarks/rnn_speed.py                # both shapes, ~5 min on 2 cores
    python benchmarks/rnn_speed.py --repeats 5 --shapes 64,100,64,128

On a GPU, Keras's GRU and LSTM run cuDNN kernels; ours never do (their
exports must serve on CPU), so there the ratio measures that trade.
"""

import argparse
import os
import platform
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras
import numpy as np
import tensorflow as tf

import keras_seqlayers as ksl

PAIRS = {
    "GRU(reset_after=False)": (
        lambda u: ksl.layers.GRU(u),
        lambda u: keras.layers.GRU(u, reset_after=False),
    ),
    "GRU(reset_after=True)": (
        lambda u: ksl.layers.GRU(u, reset_after=True),
        lambda u: keras.layers.GRU(u),
    ),
    "LSTM": (lambda u: ksl.layers.LSTM(u), lambda u: keras.layers.LSTM(u)),
    "SimpleRNN": (
        lambda u: ksl.layers.SimpleRNN(u),
        lambda u: keras.layers.SimpleRNN(u),
    ),
}


def _model(layer, time_steps, features, jit):
    inputs = keras.Input((time_steps, features))
    model = keras.Model(inputs, layer(inputs))
    model.compile(optimizer="adam", loss="mse", jit_compile=jit)
    return model


def time_pair(make_ours, make_theirs, shape, jit, repeats):
    batch, time_steps, features, units = shape
    rng = np.random.default_rng(0)
    x = rng.normal(size=(batch, time_steps, features)).astype("float32")
    y = rng.normal(size=(batch, units)).astype("float32")
    models = [
        _model(make(units), time_steps, features, jit)
        for make in (make_ours, make_theirs)
    ]
    for model in models:
        for _ in range(3):
            model.train_on_batch(x, y)
    times = [[], []]
    for _ in range(repeats):
        for index, model in enumerate(models):
            start = time.perf_counter()
            model.train_on_batch(x, y)
            times[index].append(time.perf_counter() - start)
    ours, theirs = (float(np.median(t)) for t in times)
    return ours, theirs


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument(
        "--shapes",
        default="64,100,64,128;256,50,128,256",
        help="batch,time,features,units; shapes separated by ';'",
    )
    parser.add_argument("--layers", default=",".join(PAIRS))
    args = parser.parse_args()
    shapes = [tuple(int(v) for v in s.split(",")) for s in args.shapes.split(";")]
    names = [n.strip() for n in args.layers.split(",") if n.strip()]
    for name in names:
        if name not in PAIRS:
            parser.error(f"--layers: unknown {name!r}; choose from {list(PAIRS)}")

    devices = sorted({d.device_type for d in tf.config.list_logical_devices()})
    print(
        f"# {platform.machine()}, {os.cpu_count()} cores, devices {devices}, "
        f"keras {keras.__version__}, tensorflow {tf.__version__}"
    )
    print(
        "| layer | (batch, time, features, units) | jit | ours ms | keras ms |", end=""
    )
    print(" ours/keras |")
    print("|---|---|---|---|---|---|")
    for shape in shapes:
        for jit in (False, True):
            for name in names:
                ours, theirs = time_pair(*PAIRS[name], shape, jit, args.repeats)
                print(
                    f"| {name} | {shape} | {jit} | {ours * 1e3:.1f} | "
                    f"{theirs * 1e3:.1f} | {ours / theirs:.2f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()

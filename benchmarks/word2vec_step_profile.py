"""Where the compiled word2vec step spends its time, kernel by kernel.

Compiles `NegativeSampling.sgd_update` alone under XLA (the step
`Word2Vec.fit` runs on a corpus: 16,384 pairs in slices of 1,024, K = 5,
dim 100, V = 11,061 as on the bundled sample, ids drawn from a Zipf law),
times it, then records it with TensorFlow's profiler and XLA:CPU's per-kernel
trace events. It prints each kernel's milliseconds per step and the kernels'
time summed over all threads against the executable's wall time: a ratio
near 1 means the kernels run one at a time. TensorFlow's intra-op thread
count is fixed when it starts, so compare `--intra-op-threads 1` with the
default in separate runs.

    python benchmarks/word2vec_step_profile.py [--intra-op-threads N]
"""

import argparse
import collections
import os
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# Read once, when XLA first compiles: must be set before that.
os.environ["XLA_FLAGS"] = (
    os.environ.get("XLA_FLAGS", "") + " --xla_cpu_enable_xprof_traceme=true"
)

import numpy as np
import tensorflow as tf
from tensorflow.tsl.profiler.protobuf import xplane_pb2

from keras_seqlayers.layers import NegativeSampling

VOCAB, DIM, BATCH, STEPS = 11_061, 100, 16_384, 40
# Events that enclose the kernels (the call, the executable, its loops).
ENCLOSING = (
    "ThunkExecutor",
    "while",
    "step",
    "TFE_",
    "Eager",
    "__inference",
    "CpuExecutable",
    "BlockUntilReady",
)


def make_step():
    counts = (1e6 / np.arange(1, VOCAB + 1)).astype(np.int64) + 5
    layer = NegativeSampling(VOCAB, DIM, counts=counts.tolist(), seed=1)
    layer.build(None)
    p = counts / counts.sum()
    rng = np.random.default_rng(0)
    batches = [
        (
            tf.constant(rng.choice(VOCAB, BATCH, p=p)),
            tf.constant(rng.choice(VOCAB, BATCH, p=p)),
        )
        for _ in range(STEPS)
    ]

    @tf.function(jit_compile=True)
    def step(center, context):
        return layer.sgd_update([center, context], 0.025)

    return step, batches


def time_steps(step, batches):
    wall, cpu = time.perf_counter(), time.process_time()
    for center, context in batches:
        out = step(center, context)
    out.numpy()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall / len(batches) * 1000, cpu / wall


def kernel_times(step, batches):
    """Milliseconds per step of each kernel, and the executable's wall time."""
    with tempfile.TemporaryDirectory() as logdir:
        tf.profiler.experimental.start(logdir)
        for center, context in batches:
            out = step(center, context)
        out.numpy()
        tf.profiler.experimental.stop()
        (path,) = [
            os.path.join(root, name)
            for root, _, names in os.walk(logdir)
            for name in names
            if name.endswith(".xplane.pb")
        ]
        space = xplane_pb2.XSpace()
        with open(path, "rb") as f:
            space.ParseFromString(f.read())
    kernels, executable = collections.Counter(), 0.0
    for plane in space.planes:
        for line in plane.lines:
            for event in line.events:
                name = plane.event_metadata[event.metadata_id].name
                ms = event.duration_ps / 1e9 / len(batches)
                if name == "CpuExecutable::ExecuteAsyncOnStream":
                    executable += ms
                elif not any(word in name for word in ENCLOSING):
                    kernels[name] += ms
    return kernels, executable


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intra-op-threads", type=int, default=0)
    args = parser.parse_args()
    if args.intra_op_threads:
        tf.config.threading.set_intra_op_parallelism_threads(args.intra_op_threads)
    step, batches = make_step()
    step(*batches[0]).numpy()  # compile
    time_steps(step, batches)  # warm
    runs = [time_steps(step, batches) for _ in range(5)]
    print(
        f"intra-op threads {args.intra_op_threads or 'default'}: step "
        f"{np.median([ms for ms, _ in runs]):.2f} ms (median of 5 x {STEPS}), "
        f"process CPU / wall {np.median([r for _, r in runs]):.2f}"
    )
    kernels, executable = kernel_times(step, batches)
    for name, ms in kernels.most_common(12):
        print(f"  {ms:6.2f} ms  {name}")
    print(
        f"kernels summed over threads {sum(kernels.values()):.2f} ms per step; "
        f"the executable's wall time {executable:.2f} ms "
        f"(ratio {sum(kernels.values()) / executable:.2f})"
    )


if __name__ == "__main__":
    main()

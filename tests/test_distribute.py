"""Model.fit under tf.distribute matches single-device training.

The trainings run in subprocesses (tests/distribute_script.py): logical
devices must be configured before TensorFlow initializes, and a multi-worker
strategy owns its process. Every one-device and mirrored run shares one
process, started once for this module; the `xdist_group` mark keeps the
module on one worker under `pytest -n ... --dist loadgroup`.
"""

import json
import os
import socket
import subprocess
import sys

import numpy as np
import pytest

SCRIPT = os.path.join(os.path.dirname(__file__), "distribute_script.py")
TIMEOUT = 300
SHARED_RUNS = (
    "classifier-single",
    "classifier-mirrored",
    "word2vec-single",
    "word2vec-mirrored",
    "word2vec_corpus-mirrored",
    "glove_matrix-mirrored",
)

pytestmark = pytest.mark.xdist_group("distribute")


def _env(**extra):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", **extra)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (root, os.environ.get("PYTHONPATH")) if p
    )
    return env


def _load(directory, mode):
    error = directory / f"{mode}.err"
    assert not error.exists(), error.read_text()[-4000:]
    with np.load(directory / f"{mode}.npz") as data:
        weights = [data[f"arr_{i}"] for i in range(len(data.files) - 2)]
        return weights, data["losses"], int(data["replicas"])


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Loads a run of `SHARED_RUNS` by its mode; all trained in one process."""
    directory = tmp_path_factory.mktemp("distribute")
    result = subprocess.run(
        [sys.executable, SCRIPT, str(directory), *SHARED_RUNS],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return lambda mode: _load(directory, mode)


def _assert_same_training(a, b, atol):
    weights_a, losses_a, _ = a
    weights_b, losses_b, _ = b
    assert len(weights_a) == len(weights_b) > 0
    np.testing.assert_allclose(losses_a, losses_b, rtol=atol, atol=atol)
    for wa, wb in zip(weights_a, weights_b, strict=True):
        np.testing.assert_allclose(wa, wb, rtol=atol, atol=atol)


@pytest.mark.parametrize("model", ["classifier", "word2vec"])
def test_mirrored_strategy_matches_one_device(model, runs):
    single = runs(f"{model}-single")
    mirrored = runs(f"{model}-mirrored")
    assert single[2] == 1
    assert mirrored[2] == 2
    # The weights moved: a comparison of untrained weights would prove nothing.
    assert np.all(np.isfinite(single[1]))
    _assert_same_training(single, mirrored, atol=1e-4)


def test_word2vec_fit_on_a_corpus_runs_under_mirrored_strategy(runs):
    # With its defaults (XLA on one replica) Word2Vec.fit must also train
    # when mirrored; subsampling draws differ per replica, so only the run
    # itself is compared, not the weights.
    _, losses, replicas = runs("word2vec_corpus-mirrored")
    assert replicas == 2
    assert np.all(np.isfinite(losses))
    assert losses[-1] < losses[0]


def test_glove_fit_with_its_defaults_runs_under_mirrored_strategy(runs):
    # The one-device defaults (XLA, 32 steps per call) cannot run mirrored;
    # GloVe's compile, and its compile at load, must fall back by itself
    # (the script records an error if either model keeps them).
    _, losses, replicas = runs("glove_matrix-mirrored")
    assert replicas == 2
    assert np.all(np.isfinite(losses))
    assert losses[-1] < losses[0]


def _free_ports(n):
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def test_multi_worker_mirrored_strategy_matches_one_device(tmp_path, runs):
    # Two worker processes on 127.0.0.1. Keras 3's Model.fit does not run
    # under MultiWorkerMirroredStrategy (keras-team/keras#20585), so the
    # workers use a tf.distribute custom loop (strategy.run, the Keras
    # optimizer); the reference is one-device Model.fit.
    ports = _free_ports(2)
    cluster = {"worker": [f"127.0.0.1:{p}" for p in ports]}
    workers = []
    for index in range(2):
        (tmp_path / f"w{index}").mkdir()
        tf_config = json.dumps(
            {"cluster": cluster, "task": {"type": "worker", "index": index}}
        )
        workers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    SCRIPT,
                    str(tmp_path / f"w{index}"),
                    "classifier-worker",
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=_env(TF_CONFIG=tf_config),
            )
        )
    errors = []
    for worker in workers:
        try:
            _, stderr = worker.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            for w in workers:
                w.kill()
            worker.communicate()
            pytest.fail("a worker did not finish in time")
        if worker.returncode != 0:
            errors.append(stderr[-4000:])
    assert not errors, "\n\n".join(errors)
    chief = _load(tmp_path / "w0", "classifier-worker")
    other = _load(tmp_path / "w1", "classifier-worker")
    assert chief[2] == other[2] == 2
    # Both workers hold the same model, equal to one-device training.
    _assert_same_training(chief, other, atol=1e-6)
    _assert_same_training(runs("classifier-single"), chief, atol=1e-4)

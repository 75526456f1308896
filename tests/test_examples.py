"""The example scripts: each builds its parser without running, `--help`
shows every default, the plotting ones explain a missing matplotlib, and the
cheapest (debias, on the shipped vectors) runs end to end.

Scripts are loaded in this process (TensorFlow is already started), so the
whole file costs seconds, not a TensorFlow start per script; one subprocess
checks what a user sees when starting a script from another folder.
"""

import importlib.util
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"
SCRIPTS = [
    "debias",
    "gate_heatmap",
    "glove",
    "language_model",
    "quickstart",
    "sentiment",
    "seq2seq_dates",
    "tagging",
    "vanishing_gradients",
    "word2vec",
]
PLOTTING = ["gate_heatmap", "vanishing_gradients"]


@pytest.fixture
def load(monkeypatch):
    """Imports an example script as a module (its `main` does not run)."""
    monkeypatch.syspath_prepend(str(EXAMPLES))

    def load(name):
        spec = importlib.util.spec_from_file_location(
            f"example_{name}", EXAMPLES / f"{name}.py"
        )
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load


def test_every_script_is_listed():
    found = sorted(p.stem for p in EXAMPLES.glob("[!_]*.py"))
    assert found == SCRIPTS


@pytest.mark.parametrize("name", SCRIPTS)
def test_importing_a_script_runs_nothing(name, load, capsys):
    load(name)
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("name", SCRIPTS)
def test_help_shows_the_default_of_every_option(name, load):
    parser = load(name).build_parser()
    text = " ".join(parser.format_help().split())
    options = [a for a in parser._actions if a.dest != "help"]
    assert options
    for action in options:
        default = action.default
        if isinstance(default, list):
            default = str(default)
        assert f"(default: {default})" in text, action.dest


@pytest.mark.parametrize("name", SCRIPTS)
def test_help_exits_cleanly_with_the_description(name, load, capsys):
    module = load(name)
    with pytest.raises(SystemExit) as exit_:
        module.main(["--help"])
    assert exit_.value.code == 0
    first_line = module.__doc__.splitlines()[0]
    assert first_line in capsys.readouterr().out


@pytest.mark.parametrize("name", PLOTTING)
def test_plotting_scripts_without_matplotlib(name, load, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    module = load(name)
    with pytest.raises(SystemExit) as exit_:
        module.main(["--help"])
    assert exit_.value.code == 0
    capsys.readouterr()
    with pytest.raises(SystemExit, match=r"matplotlib.*not installed") as exit_:
        module.main([])
    assert 'pip install "keras-seqlayers[plots]"' in str(exit_.value)
    assert capsys.readouterr().out == ""  # it stops before any training


def test_a_script_started_elsewhere_prints_no_tensorflow_start_up_lines(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(EXAMPLES.parent)}
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "glove.py"), "--help"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "(default: 15)" in done.stdout


def test_start_up_filter_follows_the_log_level(load):
    common = load("_common")
    text = (
        "WARNING: All log messages before absl::InitializeLog() is called ...\n"
        "I0000 00:00:1.0  1 port.cc:153] oneDNN custom operations are on.\n"
        "I0000 00:00:1.1  1 cpu_feature_guard.cc:227] This binary is optimized.\n"
        "To enable the following instructions: AVX2, rebuild TensorFlow.\n"
        "W0000 00:00:1.2  1 x.cc:1] a warning\n"
        "E0000 00:00:1.3  1 x.cc:2] an error\n"
    )
    lines = text.splitlines(keepends=True)
    assert common._filtered(text, 0) == text
    assert common._filtered(text, 1) == "".join(lines[4:])
    assert common._filtered(text, 2) == lines[5]
    assert common._filtered(text, 3) == ""
    assert common._filtered("a Python warning\n", 3) == "a Python warning\n"


def test_debias_runs_on_the_shipped_vectors(load, tmp_path, capsys):
    questions = tmp_path / "questions.txt"
    questions.write_text(": family\nman king woman queen\nboy girl brother sister\n")
    load("debias").main(["--top-words", "300", "--questions", str(questions)])
    out = capsys.readouterr().out
    assert "from the subset shipped with keras_seqlayers" in out
    line = next(x for x in out.splitlines() if x.startswith("equalize pairs:"))
    named = line.split("not in it in any case form: ")[1].split(", ")
    from keras_seqlayers.datasets import load_gender_vectors

    words = set(load_gender_vectors()[0])
    for pair in named:
        a, b = pair.split("-")
        assert not any(
            f(a) in words and f(b) in words
            for f in (str, str.lower, str.title, str.upper)
        )
    assert "before" in out.split("== Direct bias")[1]


def test_quickstart_continues_greedily_and_by_sampling(load):
    quickstart = load("quickstart")
    n = len(quickstart.ALPHABET) + 1
    favourite = quickstart.ALPHABET.index("a")

    def predict(ids):
        # Every next character has the same logits, "a" the highest.
        logits = np.zeros((1, ids.shape[1], n), "float32")
        logits[..., favourite] = 4.0
        return logits

    greedy = quickstart.continue_text(predict, "the ", 50)
    assert greedy == "the " + "a" * 50
    sampled = quickstart.continue_text(predict, "the ", 50, temperature=1.0)
    assert sampled.startswith("the ")
    assert len(sampled) == 54
    assert 0 < sampled[4:].count("a") < 50
    assert sampled == quickstart.continue_text(predict, "the ", 50, temperature=1.0)
    cold = quickstart.continue_text(predict, "the ", 50, temperature=0.01)
    assert cold == greedy


def test_shipped_gender_vectors_hold_what_debias_needs():
    from keras_seqlayers.datasets import (
        GENDER_VECTORS_FILENAME,
        load_gender_vectors,
        load_gender_word_lists,
    )

    data_file = EXAMPLES.parent / "keras_seqlayers" / "datasets"
    assert (data_file / GENDER_VECTORS_FILENAME).stat().st_size < 3_000_000
    words, vectors = load_gender_vectors()
    assert vectors.shape == (len(words), 300)
    assert vectors.dtype == np.float32
    assert len(set(words)) == len(words) >= 4000
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-3)
    lists = load_gender_word_lists()
    assert len(lists["definitional_pairs"]) == 10
    assert len(lists["equalize_pairs"]) == 52
    assert len(lists["professions"]) == 320
    needed = {p[0] for p in lists["professions"]}
    needed |= {w for pair in lists["definitional_pairs"] for w in pair}
    needed |= set(lists["specific_seed"])
    assert needed <= set(words)
    index = {w: i for i, w in enumerate(words)}
    she_he = vectors[index["she"]] - vectors[index["he"]]
    assert vectors[index["nurse"]] @ she_he > 0 > vectors[index["carpenter"]] @ she_he


def test_shipped_gender_vectors_are_a_new_copy_each_time():
    from keras_seqlayers.datasets import load_gender_vectors

    words, vectors = load_gender_vectors()
    count = len(words)
    words.append("<not a word>")
    vectors[0] = 0
    again_words, again_vectors = load_gender_vectors()
    assert len(again_words) == count
    assert np.linalg.norm(again_vectors[0]) > 0.99


def test_analogies_say_where_the_expected_word_ranks(load, capsys):
    common = load("_common")

    class Vectors:
        def __contains__(self, word):
            return word != "absent"

        def analogy(self, a, b, c, topn):
            return [("nobel", 0.9), ("queen", 0.8), ("lee", 0.7)][:topn]

    common.print_analogies(
        Vectors(),
        [
            ("man", "king", "woman", "queen"),
            ("he", "she", "his", "her"),
            ("absent", "b", "c", "d"),
        ],
        topn=3,
    )
    lines = capsys.readouterr().out.splitlines()
    assert "340,000 words" in lines[0]
    assert "man : king :: woman : queen does not" in lines[0]
    assert lines[1:] == [
        "  man : king :: woman : ?  -> nobel, queen, lee  (queen: rank 2)",
        "  he : she :: his : ?  -> nobel, queen, lee  (her: not in the top 3)",
    ]

"""What every example script shares: a quiet TensorFlow start, an argument
parser whose `--help` shows the defaults, and matplotlib as an optional extra.

Import this module before anything that imports TensorFlow (Keras, NumPy is
fine): it sets `KERAS_BACKEND` and `TF_CPP_MIN_LOG_LEVEL` (unless you set
them) and imports TensorFlow with its start-up lines filtered.
"""

import argparse
import os
import re
import sys
import tempfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# absl's log line prefix: severity letter, then MMDD.
_LOG_LINE = re.compile(r"^([IWEF])\d{4} ")
_SEVERITY = {"I": 0, "W": 1, "E": 2, "F": 3}
_NOT_INITIALISED = "WARNING: All log messages before absl::InitializeLog()"

# Analogies that word2vec (examples/word2vec.py) trained on the bundled
# 340,000-word corpus solves (family words, comparatives, nationalities,
# plurals, past tenses: frequent words in regular patterns), then the famous
# one the corpus is too small for ("queen" occurs 12 times in it).
ANALOGIES = (
    ("brother", "sister", "father", "mother"),
    ("he", "she", "his", "her"),
    ("high", "higher", "small", "smaller"),
    ("china", "chinese", "egypt", "egyptian"),
    ("woman", "women", "man", "men"),
    ("thinking", "thought", "playing", "played"),
    ("man", "king", "woman", "queen"),
)

PLOTS_MISSING = (
    "This example draws its figure with matplotlib, which is not installed. "
    'Install the plots extra: pip install "keras-seqlayers[plots]" '
    '(or, in a clone of the repository, pip install ".[plots]").'
)


def _filtered(text, level):
    """The lines TensorFlow wrote while loading that `level` lets through.

    A line without a log prefix continues the log line before it (some
    messages span lines) and shares its fate.
    """
    shown, kept = True, []
    for line in text.splitlines(keepends=True):
        match = _LOG_LINE.match(line)
        if line.startswith(_NOT_INITIALISED):
            shown = level == 0
        elif match:
            shown = _SEVERITY[match.group(1)] >= level
        if shown:
            kept.append(line)
    return "".join(kept)


def _import_tensorflow_quietly():
    """Imports TensorFlow, passing on only the start-up lines the level allows.

    TensorFlow's C++ libraries log while they load, before absl logging is
    initialised; those lines go straight to the stderr file descriptor
    whatever `TF_CPP_MIN_LOG_LEVEL` says, and two libraries print a copy
    each. Capturing the descriptor during the import is the only way to
    apply the level to them. Anything else written meanwhile (a Python
    warning, an import error's details) is passed on.
    """
    level = int(os.environ["TF_CPP_MIN_LOG_LEVEL"] or 0)
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            import tensorflow  # noqa: F401
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            text = captured.read().decode("utf-8", "replace")
            sys.stderr.write(_filtered(text, level))


if os.environ["KERAS_BACKEND"] == "tensorflow" and "tensorflow" not in sys.modules:
    _import_tensorflow_quietly()


class _HelpFormatter(
    argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter
):
    """Shows each option's default and the module docstring as written."""


def parser(doc):
    """An `ArgumentParser` for an example: its docstring as the description
    and every option's default in `--help`."""
    return argparse.ArgumentParser(description=doc, formatter_class=_HelpFormatter)


def print_analogies(wv, analogies=ANALOGIES, topn=5):
    """Prints `a : b :: c : ?` with the top guesses and where the expected
    answer ranks, after a note on what a corpus this small can do."""
    print(
        "Analogies a : b :: c : ? (top 3 guesses). The bundled corpus has "
        "about 340,000 words, far too few for most analogies (the published "
        "word2vec vectors saw about 100 billion): frequent words in regular "
        "patterns have a chance; man : king :: woman : queen does not "
        '("queen" occurs 12 times).'
    )
    for a, b, c, expected in analogies:
        if not all(w in wv for w in (a, b, c, expected)):
            continue
        guesses = [w for w, _ in wv.analogy(a, b, c, topn=topn)]
        rank = (
            f"rank {guesses.index(expected) + 1}"
            if expected in guesses
            else f"not in the top {topn}"
        )
        print(
            f"  {a} : {b} :: {c} : ?  -> {', '.join(guesses[:3])}  ({expected}: {rank})"
        )


def pyplot():
    """`matplotlib.pyplot` drawing to files only (the Agg backend).

    Raises:
        SystemExit: matplotlib is not installed; the message says how to
            install the `plots` extra.
    """
    try:
        import matplotlib
    except ImportError:
        raise SystemExit(PLOTS_MISSING) from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt

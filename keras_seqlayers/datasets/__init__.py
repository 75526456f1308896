"""Small bundled corpora and generated tasks, so that every example runs
offline: a sample of English Wikipedia articles in plain prose (94 articles,
about 340,000 words; see ``README.md`` next to the data file for its source,
licence (CC BY-SA) and how it was cleaned), a subset of the GoogleNews word
vectors with the gender word lists of Bolukbasi et al. for debiasing
(`load_gender_vectors`, `load_gender_word_lists`; MIT licence), a negation
sentiment task (`negation_sentiment`) and human-written dates
(`dates.generate_dates`).
"""

from keras_seqlayers.datasets.gender import (
    GENDER_VECTORS_FILENAME,
    GENDER_WORD_LISTS_FILENAME,
    load_gender_vectors,
    load_gender_word_lists,
)
from keras_seqlayers.datasets.negation import negation_sentiment
from keras_seqlayers.datasets.wikipedia import (
    WIKIPEDIA_SAMPLE_FILENAME,
    load_wikipedia_sample,
    wikipedia_sample_path,
)

__all__ = [
    "GENDER_VECTORS_FILENAME",
    "GENDER_WORD_LISTS_FILENAME",
    "WIKIPEDIA_SAMPLE_FILENAME",
    "load_gender_vectors",
    "load_gender_word_lists",
    "load_wikipedia_sample",
    "negation_sentiment",
    "wikipedia_sample_path",
]

"""Small bundled corpora and generated tasks, so that every example runs
offline: a sample of English Wikipedia articles in plain prose (94 articles,
about 340,000 words; see ``README.md`` next to the data file for its source,
licence (CC BY-SA) and how it was cleaned), a negation sentiment task
(`negation_sentiment`) and human-written dates (`dates.generate_dates`).
"""

from keras_seqlayers.datasets.negation import negation_sentiment
from keras_seqlayers.datasets.wikipedia import (
    WIKIPEDIA_SAMPLE_FILENAME,
    load_wikipedia_sample,
    wikipedia_sample_path,
)

__all__ = [
    "WIKIPEDIA_SAMPLE_FILENAME",
    "load_wikipedia_sample",
    "negation_sentiment",
    "wikipedia_sample_path",
]

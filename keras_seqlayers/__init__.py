"""Textbook-exact sequence-model and word-embedding layers for Keras 3."""

__version__ = "0.1.0"

from keras_seqlayers import (
    datasets,
    embeddings,
    layers,
    losses,
    models,
    serving,
    text,
)

__all__ = [
    "__version__",
    "datasets",
    "embeddings",
    "layers",
    "losses",
    "models",
    "serving",
    "text",
]

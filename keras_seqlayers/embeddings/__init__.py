"""Working with trained word vectors: bias metrics and hard debiasing."""

from keras_seqlayers.embeddings.bias import (
    BiasDirection,
    WEATResult,
    bias_direction,
    debias_embeddings,
    direct_bias,
    equalize,
    neutralize,
    weat_effect_size,
)

__all__ = [
    "BiasDirection",
    "WEATResult",
    "bias_direction",
    "debias_embeddings",
    "direct_bias",
    "equalize",
    "neutralize",
    "weat_effect_size",
]

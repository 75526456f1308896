"""The one decorator that makes a class loadable from `.keras` files."""

import keras

PACKAGE = "keras_seqlayers"


def register(cls=None, *, name=None):
    """Registers `cls` for serialization as `keras_seqlayers>{name}`.

    Use as `@register`, or as `@register(name="...")` when two public classes
    share a class name (`ksl.layers.GloVe` and `ksl.models.GloVe`), since the
    registry is keyed by package and name only.
    """
    decorator = keras.saving.register_keras_serializable(package=PACKAGE, name=name)
    return decorator if cls is None else decorator(cls)

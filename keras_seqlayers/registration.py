"""The one decorator that makes a class loadable from `.keras` files."""

import keras

register = keras.saving.register_keras_serializable(package="keras_seqlayers")

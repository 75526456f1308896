"""What the wrappers (`Bidirectional`, `DeepRNN`) share.

Recognizing the recurrent layers they accept, and making fresh copies of a
layer from its serialized config: a wrapper keeps the config of each layer
it is given as a template and builds its own layers from it.
"""

import keras

# Keys of a serialized layer that describe a built or compiled instance, not
# the layer's constructor: dropped from templates so that copies start fresh.
_INSTANCE_KEYS = ("build_config", "compile_config", "shared_object_id")


def is_recurrent_layer(layer):
    """Whether `layer` looks like a sequence-to-sequence recurrent layer."""
    return isinstance(layer, keras.layers.Layer) and all(
        hasattr(layer, name) for name in ("return_sequences", "return_state")
    )


def is_directional_layer(layer):
    """Whether `layer` is a recurrent layer that reads in one direction.

    That is a recurrent layer with `go_backwards`, such as this package's
    `GRU`, `LSTM` and `SimpleRNN` or `keras.layers.RNN` and its subclasses;
    wrappers such as `Bidirectional` or `DeepRNN` are not.
    """
    return is_recurrent_layer(layer) and hasattr(layer, "go_backwards")


def units_of(layer):
    """The number of units of `layer` (`layer.units` or `layer.cell.units`).

    None where neither exists (for example `keras.layers.RNN` over a list
    of cells).
    """
    units = getattr(layer, "units", None)
    if units is None:
        units = getattr(getattr(layer, "cell", None), "units", None)
    return units


def plain_copy(config):
    """A deep copy of a serialized config, in plain dicts, lists and tuples.

    A layer wraps the dicts and lists assigned to it in tracked containers,
    and Keras's deserializers edit the configs they are given (for example
    `keras.layers.RNN.from_config` pops `"cell"`): templates go in and out
    of a layer only as fresh plain copies, so no caller shares them.
    """
    if isinstance(config, dict):
        return {key: plain_copy(value) for key, value in config.items()}
    if isinstance(config, list):
        return [plain_copy(value) for value in config]
    if isinstance(config, tuple):
        return tuple(plain_copy(value) for value in config)
    return config


def layer_template(layer):
    """The serialized constructor of `layer`, without build state."""
    config = keras.saving.serialize_keras_object(layer)
    for key in _INSTANCE_KEYS:
        config.pop(key, None)
    return config


def clone_from_template(template, dtype_policy, **overrides):
    """A fresh layer from `layer_template`, with the given config overrides."""
    config = plain_copy(template)
    config["config"].update(overrides)
    config["config"]["dtype"] = keras.dtype_policies.serialize(dtype_policy)
    return keras.saving.deserialize_keras_object(config)

"""Converting recurrent layers and their weights between Keras and this package.

`keras.layers.LSTM` and `keras.layers.SimpleRNN` have the same weight layout
and math as ours. `keras.layers.GRU` has the same layout (gate blocks
`[update, reset, candidate]`, the same bias shapes for either `reset_after`)
but its update gate `z` weighs the OLD state where our `Γu` weighs the new
one: `σ(-a) = 1 - σ(a)`, so negating the update block (the first `units`
columns) of every weight maps one onto the other, in either direction.
"""

import keras
import numpy as np

from keras_seqlayers.layers.recurrent.bidirectional import Bidirectional
from keras_seqlayers.layers.recurrent.gru import GRU, GRUCell
from keras_seqlayers.layers.recurrent.lstm import LSTM, LSTMCell
from keras_seqlayers.layers.recurrent.simple_rnn import SimpleRNN, SimpleRNNCell

KERAS = "keras"
OURS = "keras_seqlayers"

# family: {library: (layer class, cell class)}
_FAMILIES = {
    "GRU": {
        OURS: (GRU, GRUCell),
        KERAS: (keras.layers.GRU, keras.layers.GRUCell),
    },
    "LSTM": {
        OURS: (LSTM, LSTMCell),
        KERAS: (keras.layers.LSTM, keras.layers.LSTMCell),
    },
    "SimpleRNN": {
        OURS: (SimpleRNN, SimpleRNNCell),
        KERAS: (keras.layers.SimpleRNN, keras.layers.SimpleRNNCell),
    },
}
_BIDIRECTIONAL = {OURS: Bidirectional, KERAS: keras.layers.Bidirectional}
_ACCEPTED = (
    "a GRU, LSTM or SimpleRNN layer or cell of keras.layers or "
    "keras_seqlayers.layers, or a Bidirectional of one"
)


def _identify(argument, layer):
    """`(library, family, is_cell)` of a recurrent layer or cell."""
    # Ours first: a subclass of one of our classes is ours.
    for library in (OURS, KERAS):
        for family, classes in _FAMILIES.items():
            layer_class, cell_class = classes[library]
            if isinstance(layer, cell_class):
                return library, family, True
            if isinstance(layer, layer_class):
                return library, family, False
    raise TypeError(f"`{argument}` must be {_ACCEPTED}; received {argument}={layer!r}.")


def _bidirectional_library(layer):
    for library in (OURS, KERAS):
        if isinstance(layer, _BIDIRECTIONAL[library]):
            return library
    return None


def _function_options(layer, family, is_cell):
    """The options that decide what function the weights compute."""
    cell = layer if is_cell else layer.cell
    options = {
        "units": cell.units,
        "use_bias": cell.use_bias,
        "activation": keras.activations.serialize(cell.activation),
    }
    if family != "SimpleRNN":
        options["recurrent_activation"] = keras.activations.serialize(
            cell.recurrent_activation
        )
    if family == "GRU":
        options["reset_after"] = cell.reset_after
    return options


def _expected_shapes(options, family, input_dim):
    units = options["units"]
    width = {"GRU": 3, "LSTM": 4, "SimpleRNN": 1}[family] * units
    shapes = [(input_dim, width), (units, width)]
    if options["use_bias"]:
        shapes.append((2, width) if options.get("reset_after") else (width,))
    return shapes


def convert_weights(weights, from_, to):
    """Maps the weights of one recurrent layer onto another's layout.

    Works between a `keras.layers` GRU, LSTM or SimpleRNN (layer or cell)
    and this package's, in either direction, and between two
    `Bidirectional` wrappers of them. Only the configurations of `from_`
    and `to` are read: neither needs to be built, and the result is what
    `to.set_weights` takes. For GRU between the two libraries the update
    block of every weight is negated (module docstring); LSTM and
    SimpleRNN weights are copied.

    Args:
        weights: the list `from_.get_weights()` returns (or would).
        from_: the layer or cell the weights belong to.
        to: the layer or cell to receive them.

    Returns:
        A new list of NumPy arrays, in `to`'s layout.

    Raises:
        TypeError: `from_` or `to` is not a supported layer.
        ValueError: the two cannot compute the same function with these
            weights: different families, `units`, `activation`,
            `recurrent_activation`, `use_bias` or GRU `reset_after` (for
            example a Keras GRU with its default `reset_after=True` into
            our default `reset_after=False`), or `weights` whose count or
            shapes are not `from_`'s.

    Example:

    >>> import keras, numpy as np
    >>> from keras_seqlayers.layers import GRU
    >>> theirs = keras.layers.GRU(4, reset_after=False)
    >>> x = np.ones((2, 5, 3), "float32")
    >>> _ = theirs(x)
    >>> ours = GRU(4)
    >>> _ = ours(x)
    >>> ours.set_weights(convert_weights(theirs.get_weights(), theirs, ours))
    >>> bool(np.allclose(ours(x), theirs(x), atol=1e-6))
    True
    """
    source_wrapper = _bidirectional_library(from_)
    target_wrapper = _bidirectional_library(to)
    if source_wrapper or target_wrapper:
        if not (source_wrapper and target_wrapper):
            raise ValueError(
                "`from_` and `to` must both be Bidirectional wrappers, or "
                f"neither; received from_={from_!r} and to={to!r}."
            )
        half = len(weights) // 2
        return convert_weights(
            weights[:half], from_.forward_layer, to.forward_layer
        ) + convert_weights(weights[half:], from_.backward_layer, to.backward_layer)
    source_library, family, source_is_cell = _identify("from_", from_)
    target_library, target_family, target_is_cell = _identify("to", to)
    if family != target_family:
        raise ValueError(
            f"`from_` is a {family} and `to` a {target_family}: their weights "
            "compute different functions."
        )
    source = _function_options(from_, family, source_is_cell)
    target = _function_options(to, family, target_is_cell)
    for name, value in source.items():
        if target[name] != value:
            raise ValueError(
                f"`to` must compute the same function as `from_`, but "
                f"`{name}` differs: from_ has {name}={value!r}, to has "
                f"{name}={target[name]!r}. Build `to` with {name}={value!r} "
                "(keras_seqlayers.layers.from_keras and to_keras do)."
            )
    weights = [np.array(w) for w in weights]
    input_dim = weights[0].shape[0] if weights else None
    shapes = [tuple(w.shape) for w in weights]
    expected = _expected_shapes(source, family, input_dim)
    if shapes != expected:
        raise ValueError(
            f"`weights` must be the weights of `from_` (shapes {expected}); "
            f"received shapes {shapes}."
        )
    if family == "GRU" and source_library != target_library:
        for weight in weights:
            weight[..., : source["units"]] *= -1
    return weights


def _built_input_shape(layer, is_cell):
    """The input shape to build a copy of built `layer` with."""
    cell = layer if is_cell else layer.cell
    input_dim = cell.kernel.shape[0]
    if is_cell:
        return (None, input_dim)
    batch = layer.states[0].shape[0] if getattr(layer, "stateful", False) else None
    return (batch, None, input_dim)


def _convert(argument, layer, from_library, to_library, other_function):
    """An unbuilt copy of `layer` in `to_library`, and the shape to build it.

    The shape is None where `layer` is not built.
    """
    wrapper = _bidirectional_library(layer)
    if wrapper is None:
        library, family, is_cell = _identify(argument, layer)
    else:
        library = wrapper
    if library != from_library:
        raise TypeError(
            f"`{argument}` must be a layer of {from_library} ({_ACCEPTED}); "
            f"received a layer of {library}, {argument}={layer!r}. Convert it "
            f"the other way with keras_seqlayers.layers.{other_function}."
        )
    if wrapper is not None:

        def directional(name):
            return _convert(
                argument, getattr(layer, name), from_library, to_library, other_function
            )[0]

        given_backward = layer.get_config().get("backward_layer") is not None
        copy = _BIDIRECTIONAL[to_library](
            directional("forward_layer"),
            merge_mode=layer.merge_mode,
            backward_layer=directional("backward_layer") if given_backward else None,
            name=layer.name,
            dtype=layer.dtype_policy,
            trainable=layer.trainable,
        )
        built = layer.built and layer.forward_layer.built
        return copy, (_built_input_shape(layer.forward_layer, False) if built else None)
    target_class = _FAMILIES[family][to_library][1 if is_cell else 0]
    copy = target_class.from_config(layer.get_config())
    return copy, (_built_input_shape(layer, is_cell) if layer.built else None)


def _with_weights(layer, copy, input_shape):
    """`copy`, built like `layer` and given its weights if `layer` is built."""
    if input_shape is not None:
        copy.build(input_shape)
        copy.set_weights(convert_weights(layer.get_weights(), layer, copy))
    return copy


def from_keras(layer):
    """This package's twin of a Keras recurrent layer, with its weights.

    `keras.layers.GRU`, `LSTM`, `SimpleRNN`, their cells and
    `keras.layers.Bidirectional` of them become
    `keras_seqlayers.layers.GRU`, `LSTM`, `SimpleRNN`, their cells and
    `Bidirectional`, with the same configuration (a GRU keeps its
    `reset_after`, Keras's default `True` included) and, if `layer` is
    built, built with its weights mapped by `convert_weights`: the copy
    computes the same outputs, to float32 round-off.

    Plain `layer.set_weights(keras_layer.get_weights())` is not the same:
    for GRU it loads Keras's update gate the wrong way round, which the
    shapes cannot always tell (with `reset_after=True` they agree).

    Args:
        layer: a built or unbuilt Keras GRU, LSTM or SimpleRNN layer or
            cell, or a `keras.layers.Bidirectional` of one.

    Returns:
        The new layer.

    Raises:
        TypeError: `layer` is not one of the layers above (for example one
            of this package's: use `to_keras` for those).

    Example:

    >>> import keras, numpy as np
    >>> theirs = keras.layers.GRU(4, return_sequences=True)
    >>> x = np.ones((2, 5, 3), "float32")
    >>> expected = theirs(x)
    >>> ours = from_keras(theirs)
    >>> ours.reset_after
    True
    >>> bool(np.allclose(ours(x), expected, atol=1e-6))
    True
    """
    return _with_weights(layer, *_convert("layer", layer, KERAS, OURS, "to_keras"))


def to_keras(layer):
    """The `keras.layers` twin of one of this package's recurrent layers.

    The reverse of `from_keras`: this package's `GRU`, `LSTM`, `SimpleRNN`,
    their cells and `Bidirectional` of them become the `keras.layers`
    classes of the same names, with the same configuration and, if `layer`
    is built, its weights mapped by `convert_weights`. Train with this
    package and serve with Keras's layers (or save the model that holds
    the copy), or the reverse with `from_keras`.

    A GRU keeps its `reset_after`: our default `False` becomes
    `keras.layers.GRU(reset_after=False)`. Keras's GRU and LSTM pick a
    cuDNN kernel on a GPU where they can (`use_cudnn="auto"`); a
    SavedModel exported that way needs a GPU to serve (keras#18504).

    Args:
        layer: one of this package's recurrent layers or cells above,
            built or not.

    Returns:
        The new Keras layer.

    Raises:
        TypeError: `layer` is not one of the layers above (for example a
            Keras layer: use `from_keras` for those).

    Example:

    >>> import numpy as np
    >>> from keras_seqlayers.layers import GRU
    >>> ours = GRU(4)
    >>> x = np.ones((2, 5, 3), "float32")
    >>> expected = ours(x)
    >>> theirs = to_keras(ours)
    >>> type(theirs).__name__, theirs.reset_after
    ('GRU', False)
    >>> bool(np.allclose(theirs(x), expected, atol=1e-6))
    True
    """
    return _with_weights(layer, *_convert("layer", layer, OURS, KERAS, "from_keras"))

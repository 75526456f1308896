"""Deep (stacked) RNN: level l reads the whole output sequence of level l-1.

a^[l]_t = f(a^[l]_{t-1}, a^[l-1]_t), with a^[0]_t = x_t.
"""

import keras

from keras_seqlayers.checks import check_bool
from keras_seqlayers.layers.recurrent.engine import check_call_dtypes
from keras_seqlayers.layers.recurrent.states import state_count
from keras_seqlayers.layers.recurrent.wrapping import (
    clone_from_template,
    is_recurrent_layer,
    layer_template,
    plain_copy,
)
from keras_seqlayers.registration import register


def _with_dtype(template, dtype_policy):
    return {
        **template,
        "config": {
            **template["config"],
            "dtype": keras.dtype_policies.serialize(dtype_policy),
        },
    }


def _with_options(template, return_sequences, return_state, dtype_policy):
    """A layer template with the two options set, also inside wrappers.

    Layers inside a wrapper and the cell of a `keras.layers.RNN` also take
    `dtype_policy` (Keras keeps their own policies there).
    """
    config = dict(template["config"])
    if isinstance(config.get("cell"), dict):  # a keras.layers.RNN
        config["cell"] = _with_dtype(config["cell"], dtype_policy)
    if "layer" in config:  # a Bidirectional wrapper (ours or Keras's)
        for key in ("layer", "backward_layer"):
            if config.get(key) is not None:
                inner = _with_options(
                    config[key], return_sequences, return_state, dtype_policy
                )
                config[key] = _with_dtype(inner, dtype_policy)
    else:
        config["return_sequences"] = return_sequences
        config["return_state"] = return_state
    return {**template, "config": config}


@register
class DeepRNN(keras.layers.Layer):
    """A stack of recurrent layers, each reading the full sequence of the last.

    Levels can be this package's `GRU`, `LSTM`, `SimpleRNN`, Keras's own
    recurrent layers, or `Bidirectional` wrappers of either. The layers
    passed in are templates: the stack builds a fresh copy of each, with
    `return_sequences` set so that every level but the last returns its
    full sequence and the last one follows `return_sequences` here, and
    with `return_state` set as here. A mask is handed to every level.

    Args:
        layers: non-empty list of recurrent layer instances, bottom first.
            Plain levels must read forwards (`go_backwards=False`); use
            `Bidirectional` for a backward direction. A `Bidirectional`
            level needs a merge mode (not `None`) so that it has one output
            sequence.
        return_sequences: return the top level's output at every step,
            `(batch, time, features)`, instead of the last,
            `(batch, features)`.
        return_state: also return the final states of every level, bottom
            level first (a `Bidirectional` level gives its forward states,
            then its backward states).
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`). The
            default dtype policy is that of the first level; every level
            uses the stack's.

    Call arguments:
        inputs: float tensor `(batch, time, features)`.
        mask: optional boolean `(batch, time)`.
        training: whether dropout is applied.
        initial_state: optional flat list of state tensors for every level,
            in the order `return_state` returns them.

    Returns:
        The top level's output; with `return_state`, a list of it followed
        by the final states of every level.

    Example:

    >>> import numpy as np
    >>> from keras_seqlayers.layers import GRU, LSTM, Bidirectional
    >>> deep = DeepRNN([Bidirectional(GRU(8)), LSTM(4)], return_state=True)
    >>> output, *states = deep(np.zeros((2, 5, 3), "float32"))
    >>> output.shape, len(states)
    (TensorShape([2, 4]), 4)

    Reference:
        Graves, Mohamed and Hinton, "Speech recognition with deep recurrent
        neural networks", ICASSP 2013.
    """

    def __init__(self, layers, return_sequences=False, return_state=False, **kwargs):
        if not isinstance(layers, (list, tuple)) or not layers:
            raise ValueError(
                "`layers` must be a non-empty list of recurrent layers; "
                f"received layers={layers!r}."
            )
        for i, layer in enumerate(layers):
            if not is_recurrent_layer(layer):
                raise ValueError(
                    "every entry of `layers` must be a recurrent layer instance "
                    "(such as keras_seqlayers.layers.GRU, keras.layers.LSTM or "
                    f"a Bidirectional wrapper); received layers[{i}]={layer!r}."
                )
            if hasattr(layer, "merge_mode") and layer.merge_mode is None:
                raise ValueError(
                    "a Bidirectional level of `layers` needs a merge mode so "
                    f"that it has one output sequence; received layers[{i}] "
                    "with merge_mode=None."
                )
            if not hasattr(layer, "merge_mode") and getattr(
                layer, "go_backwards", False
            ):
                raise ValueError(
                    "levels of `layers` must read forwards: wrap a layer in "
                    "Bidirectional for a backward direction; received "
                    f"layers[{i}] with go_backwards=True."
                )
        kwargs.setdefault("dtype", layers[0].dtype_policy)
        super().__init__(**kwargs)
        self.return_sequences = check_bool("return_sequences", return_sequences)
        self.return_state = check_bool("return_state", return_state)
        self._templates = [layer_template(layer) for layer in layers]
        top = len(layers) - 1
        self.levels = [
            clone_from_template(
                _with_options(
                    template,
                    return_sequences=self.return_sequences or i < top,
                    return_state=self.return_state,
                    dtype_policy=self.dtype_policy,
                ),
                self.dtype_policy,
            )
            for i, template in enumerate(self._templates)
        ]
        self.supports_masking = True

    @property
    def layers(self):
        """The levels of the stack, bottom first (fresh copies of `layers`)."""
        return list(self.levels)

    def reset_state(self):
        """Sets the carried states of every level back to zeros.

        For levels built with `stateful=True`; on a stateless level of ours
        it raises that level's own `ValueError`.
        """
        for level in self.levels:
            level.reset_state()

    def reset_states(self):
        """`reset_state()`, under the name Keras also accepts."""
        self.reset_state()

    @property
    def state_count(self):
        """Number of state tensors returned with `return_state`, all levels."""
        return sum(state_count(level) for level in self.levels)

    def __call__(self, inputs, *args, **kwargs):
        check_call_dtypes(self, inputs, kwargs.get("initial_state"))
        return super().__call__(inputs, *args, **kwargs)

    def build(self, inputs_shape, initial_state_shape=None):
        shape = tuple(inputs_shape)
        if len(shape) != 3:
            raise ValueError(
                "DeepRNN expects inputs of rank 3 (batch, time, features); "
                f"received input shape {shape}."
            )
        for level in self.levels:
            if not level.built:
                level.build(shape)
            shape = self._sequence_shape(level, shape)

    @staticmethod
    def _sequence_shape(level, inputs_shape):
        shape = level.compute_output_shape(inputs_shape)
        if level.return_state:
            shape = shape[0]
        return tuple(shape)

    def call(self, inputs, mask=None, training=None, initial_state=None):
        if initial_state is not None:
            initial_state = (
                list(initial_state)
                if isinstance(initial_state, (list, tuple))
                else [initial_state]
            )
            if len(initial_state) != self.state_count:
                raise ValueError(
                    f"`initial_state` must be a list of {self.state_count} "
                    "tensors (the states of every level, bottom first); "
                    f"received {len(initial_state)}."
                )
        kwargs = {"mask": mask}
        if training is not None:
            kwargs["training"] = training
        outputs = inputs
        states = []
        offset = 0
        for level in self.levels:
            count = state_count(level)
            level_state = None
            if initial_state is not None:
                level_state = initial_state[offset : offset + count]
            offset += count
            result = level(outputs, initial_state=level_state, **kwargs)
            if self.return_state:
                result, *final_states = result
                states.extend(final_states)
            outputs = result
        if self.return_state:
            return [outputs, *states]
        return outputs

    def compute_mask(self, inputs, mask=None):
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * self.state_count
        return output_mask

    def compute_output_shape(self, inputs_shape, initial_state_shape=None):
        shape = tuple(inputs_shape)
        states = []
        for level in self.levels:
            result = level.compute_output_shape(shape)
            if self.return_state:
                result, *level_states = result
                states.extend(tuple(s) for s in level_states)
            shape = tuple(result)
        if self.return_state:
            return [shape, *states]
        return shape

    def get_config(self):
        return {
            **super().get_config(),
            "layers": plain_copy(self._templates),
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
        }

    @classmethod
    def from_config(cls, config):
        config = plain_copy(config)
        config["layers"] = [
            keras.saving.deserialize_keras_object(layer) for layer in config["layers"]
        ]
        return cls(**config)

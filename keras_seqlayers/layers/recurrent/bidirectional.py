"""Bidirectional wrapper: one recurrent layer reading forwards, one backwards.

ŷ_t = g(W_y [→a_t, ←a_t] + b_y): the wrapper produces `[→a_t, ←a_t]` (or
their sum, product or mean); the output layer `g(W_y · + b_y)` is the user's.

Padding: the recurrent layers this wraps (ours and Keras's) keep their state
unchanged at masked steps. Reading a right-padded sequence backwards, the
padding comes first, so the backward direction is still at its initial state
when it reaches the last real token: each sequence is read from its own end,
exactly as if it had been run alone without padding. Flipping the backward
outputs along time then puts `←a_t` next to `→a_t` for every real step `t`.
"""

import keras
from keras import ops

from keras_seqlayers.layers.recurrent.engine import check_call_dtypes
from keras_seqlayers.layers.recurrent.states import state_count
from keras_seqlayers.layers.recurrent.wrapping import (
    clone_from_template,
    is_directional_layer,
    layer_template,
    plain_copy,
    units_of,
)
from keras_seqlayers.registration import register

MERGE_MODES = ("concat", "sum", "mul", "ave", None)
_DIRECTIONAL_EXAMPLES = (
    "such as keras_seqlayers.layers.GRU, LSTM or SimpleRNN, or keras.layers.RNN "
    "and its subclasses; not a wrapper such as Bidirectional or DeepRNN"
)


def _strip_prefix(name, prefix):
    return name[len(prefix) :] if name.startswith(prefix) else name


@register
class Bidirectional(keras.layers.Layer):
    """Runs a recurrent layer forwards and a copy of it backwards.

    Wraps the recurrent layers of this package (`GRU`, `LSTM`, `SimpleRNN`)
    and Keras's own (`keras.layers.GRU`, `keras.layers.LSTM`,
    `keras.layers.SimpleRNN`, any `keras.layers.RNN`). `layer` is a
    template: the wrapper builds two fresh layers from its configuration,
    `forward_layer` (named `forward_<name>`) and `backward_layer` (named
    `backward_<name>`, `go_backwards` flipped), so the weights of an
    already-built `layer` are not reused.

    With a mask (for example from `keras.layers.Embedding(mask_zero=True)`)
    each sequence of a padded batch is read backwards from its own last real
    token: outputs at real positions equal those of running the sequence
    alone, without padding. Outputs at masked positions are zeros.

    Args:
        layer: the recurrent layer to run in both directions: one that reads
            in one direction and has `go_backwards` (not a wrapper such as
            this one, `keras.layers.Bidirectional` or `DeepRNN`). Its
            `return_sequences` and `return_state` decide the wrapper's.
        merge_mode: how the two directions are combined: `"concat"`
            (default, feature size doubles), `"sum"`, `"mul"`, `"ave"`
            (mean), or `None` to return both outputs, forward first.
        weights: optional list of initial weights, set when the wrapper is
            built: the forward layer's `get_weights()` list, then the
            backward layer's (the first half goes forwards, the second
            backwards). Not part of the config, as in Keras.
        backward_layer: optional recurrent layer used as the template of
            the backward direction instead of a copy of `layer`; it must
            have the opposite `go_backwards`, the same `return_sequences`,
            `return_state` and `stateful`, as many states and the same
            number of units (compared where both layers expose `units` or
            `cell.units`).
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`). The
            default dtype policy is that of `layer`; both directions use
            the wrapper's.

    Call arguments:
        inputs: float tensor `(batch, time, features)`.
        mask: optional boolean `(batch, time)`.
        training: whether dropout is applied.
        initial_state: optional list of state tensors: the forward
            direction's states, then the backward direction's (for LSTM:
            `[a_fw, c_fw, a_bw, c_bw]`).

    Returns:
        The merged output, `(batch, time, features)` with
        `return_sequences` else `(batch, features)`; with `merge_mode=None`
        a list `[forward, backward]`. With `return_state`, the output(s) are
        followed by the forward final states, then the backward ones.

    Example:

    >>> import numpy as np
    >>> from keras_seqlayers.layers import GRU
    >>> layer = Bidirectional(GRU(4, return_sequences=True))
    >>> layer(np.zeros((2, 5, 3), "float32")).shape
    TensorShape([2, 5, 8])

    Reference:
        Schuster and Paliwal, "Bidirectional recurrent neural networks",
        IEEE Transactions on Signal Processing 45(11), 1997.
    """

    def __init__(
        self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs
    ):
        if not is_directional_layer(layer):
            raise ValueError(
                "`layer` must be a recurrent layer instance with `go_backwards` "
                f"({_DIRECTIONAL_EXAMPLES}); received layer={layer!r}."
            )
        if backward_layer is not None and not is_directional_layer(backward_layer):
            raise ValueError(
                "`backward_layer` must be None or a recurrent layer instance "
                f"with `go_backwards` ({_DIRECTIONAL_EXAMPLES}); received "
                f"backward_layer={backward_layer!r}."
            )
        if merge_mode not in MERGE_MODES:
            raise ValueError(
                f"`merge_mode` must be one of {MERGE_MODES}; received "
                f"merge_mode={merge_mode!r}."
            )
        if weights is not None and (
            not isinstance(weights, (list, tuple)) or len(weights) % 2
        ):
            raise ValueError(
                "`weights` must be None or a list of arrays, the forward "
                "layer's weights then the backward layer's (an even count); "
                f"received weights={weights!r}."
            )
        kwargs.setdefault("dtype", layer.dtype_policy)
        super().__init__(**kwargs)
        self.merge_mode = merge_mode
        self._initial_weights = None if weights is None else list(weights)
        self._layer_template = layer_template(layer)
        self._backward_template = (
            None if backward_layer is None else layer_template(backward_layer)
        )
        base = _strip_prefix(layer.name, "forward_")
        self.forward_layer = clone_from_template(
            self._layer_template, self.dtype_policy, name=f"forward_{base}"
        )
        if backward_layer is None:
            self.backward_layer = clone_from_template(
                self._layer_template,
                self.dtype_policy,
                name=f"backward_{base}",
                go_backwards=not layer.go_backwards,
            )
        else:
            self.backward_layer = clone_from_template(
                self._backward_template, self.dtype_policy
            )
        self._check_directions()
        self.return_sequences = bool(self.forward_layer.return_sequences)
        self.return_state = bool(self.forward_layer.return_state)
        self.supports_masking = True

    def _check_directions(self):
        forward, backward = self.forward_layer, self.backward_layer
        if bool(forward.go_backwards) == bool(backward.go_backwards):
            raise ValueError(
                "`backward_layer` must read in the opposite direction of "
                f"`layer`; received go_backwards={backward.go_backwards} for "
                f"both."
            )
        for name in ("return_sequences", "return_state", "stateful"):
            ours, theirs = getattr(forward, name, False), getattr(backward, name, False)
            if bool(ours) != bool(theirs):
                raise ValueError(
                    f"`backward_layer` must have the same `{name}` as `layer` "
                    f"({ours}); received {name}={theirs}."
                )
        if state_count(forward) != state_count(backward):
            raise ValueError(
                "`backward_layer` must carry as many states as `layer` "
                f"({state_count(forward)}); received {state_count(backward)}."
            )
        ours, theirs = units_of(forward), units_of(backward)
        if ours is not None and theirs is not None and ours != theirs:
            raise ValueError(
                "`backward_layer` must have the same number of units as `layer` "
                f"({ours}); received backward_layer with units={theirs}."
            )

    @property
    def layer(self):
        """The forward layer (the wrapped `layer` argument, freshly built)."""
        return self.forward_layer

    def reset_state(self):
        """Sets the carried states of both directions back to zeros.

        For a wrapped layer built with `stateful=True`; on another of our
        layers it raises the same `ValueError` as that layer's own
        `reset_state()`.
        """
        for layer in (self.forward_layer, self.backward_layer):
            layer.reset_state()

    def reset_states(self):
        """`reset_state()`, under the name Keras also accepts."""
        self.reset_state()

    @property
    def state_count(self):
        """Number of state tensors returned with `return_state`: both directions."""
        return state_count(self.forward_layer) + state_count(self.backward_layer)

    def __call__(self, inputs, *args, **kwargs):
        check_call_dtypes(self, inputs, kwargs.get("initial_state"))
        return super().__call__(inputs, *args, **kwargs)

    def build(self, inputs_shape, initial_state_shape=None):
        inputs_shape = tuple(inputs_shape)
        if len(inputs_shape) != 3:
            raise ValueError(
                "Bidirectional expects inputs of rank 3 (batch, time, features); "
                f"received input shape {inputs_shape}."
            )
        for layer in (self.forward_layer, self.backward_layer):
            if not layer.built:
                layer.build(inputs_shape)
        if self._initial_weights:
            half = len(self._initial_weights) // 2
            self.forward_layer.set_weights(self._initial_weights[:half])
            self.backward_layer.set_weights(self._initial_weights[half:])
            self._initial_weights = None

    def _split_initial_state(self, initial_state):
        if initial_state is None:
            return None, None
        states = (
            list(initial_state)
            if isinstance(initial_state, (list, tuple))
            else [initial_state]
        )
        expected = self.state_count
        if len(states) != expected:
            raise ValueError(
                f"`initial_state` must be a list of {expected} tensors (the "
                "forward direction's states, then the backward direction's); "
                f"received {len(states)}."
            )
        half = state_count(self.forward_layer)
        return states[:half], states[half:]

    def call(self, inputs, mask=None, training=None, initial_state=None):
        forward_state, backward_state = self._split_initial_state(initial_state)
        kwargs = {"mask": mask}
        if training is not None:
            kwargs["training"] = training
        outputs = []
        states = []
        for layer, state in (
            (self.forward_layer, forward_state),
            (self.backward_layer, backward_state),
        ):
            result = layer(inputs, initial_state=state, **kwargs)
            if self.return_state:
                result, *final_states = result
                states.extend(final_states)
            if self.return_sequences:
                if layer.go_backwards:
                    # Step i of a backward run read input step T-1-i: flip
                    # it back so both directions line up with the inputs.
                    result = ops.flip(result, axis=1)
                if mask is not None:
                    keep = ops.expand_dims(ops.cast(mask, "bool"), -1)
                    result = ops.where(keep, result, ops.zeros_like(result))
            outputs.append(result)
        forward, backward = outputs
        if self.merge_mode == "concat":
            merged = [ops.concatenate([forward, backward], axis=-1)]
        elif self.merge_mode == "sum":
            merged = [forward + backward]
        elif self.merge_mode == "mul":
            merged = [forward * backward]
        elif self.merge_mode == "ave":
            merged = [(forward + backward) / 2]
        else:
            merged = [forward, backward]
        if self.return_state:
            return [*merged, *states]
        return merged[0] if len(merged) == 1 else merged

    def compute_mask(self, inputs, mask=None):
        output_mask = mask if self.return_sequences else None
        masks = [output_mask] * (1 if self.merge_mode is not None else 2)
        if self.return_state:
            return [*masks, *([None] * self.state_count)]
        return masks[0] if len(masks) == 1 else masks

    def compute_output_shape(self, inputs_shape, initial_state_shape=None):
        shapes = []
        for layer in (self.forward_layer, self.backward_layer):
            shape = layer.compute_output_shape(tuple(inputs_shape))
            shapes.append(list(shape) if self.return_state else [shape])
        (forward, *forward_states), (backward, *backward_states) = shapes
        forward, backward = tuple(forward), tuple(backward)
        if self.merge_mode == "concat":
            merged = [(*forward[:-1], forward[-1] + backward[-1])]
        elif self.merge_mode is None:
            merged = [forward, backward]
        else:
            merged = [forward]
        if self.return_state:
            return [*merged, *map(tuple, forward_states), *map(tuple, backward_states)]
        return merged[0] if len(merged) == 1 else merged

    def get_config(self):
        return {
            **super().get_config(),
            "layer": plain_copy(self._layer_template),
            "merge_mode": self.merge_mode,
            "backward_layer": plain_copy(self._backward_template),
        }

    @classmethod
    def from_config(cls, config):
        config = plain_copy(config)
        config["layer"] = keras.saving.deserialize_keras_object(config["layer"])
        if config.get("backward_layer") is not None:
            config["backward_layer"] = keras.saving.deserialize_keras_object(
                config["backward_layer"]
            )
        return cls(**config)

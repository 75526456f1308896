"""What every recurrent cell shares: arguments, weights and the step split.

A cell's step is split in two so that the engine can hoist work out of the
time loop: `project_inputs` multiplies the inputs of every time step by the
kernel in one matmul, and `step` does only the recurrent product of one step.
"""

import keras
from keras import ops

from keras_seqlayers.checks import (
    check_bool,
    check_positive_int,
    check_rate,
    check_seed,
)

# Every value `implementation` has had in Keras, whose cells now ignore it.
IMPLEMENTATIONS = (0, 1, 2)


def given_arguments(constructor_locals):
    """The arguments a constructor received, from its `locals()`.

    Called first thing in a constructor whose signature lists its arguments
    (for `help()`, IDEs and `inspect.signature`): a dict of every named
    argument and of `**kwargs`, to hand on in one call.
    """
    arguments = dict(constructor_locals)
    for name in ("self", "__class__"):
        arguments.pop(name, None)
    kwargs = arguments.pop("kwargs", {})
    return {**arguments, **kwargs}


def _keras_dropout_cell_mixin():
    """Keras's `DropoutRNNCell`, found among the bases of `keras.layers.GRUCell`.

    `keras.layers.RNN` (and `StackedRNNCells` inside it) draws a cell's
    dropout masks once before its loop and clears them after, but only for
    instances of this mixin, which Keras exports only as a base of its own
    cells (never under a public name).
    """
    for klass in keras.layers.GRUCell.__mro__:
        if klass.__name__ == "DropoutRNNCell":
            return klass
    raise ImportError(
        "keras_seqlayers needs keras.layers.GRUCell to derive from Keras's "
        f"DropoutRNNCell (Keras 3); keras {keras.__version__} has no such base."
    )


DropoutRNNCell = _keras_dropout_cell_mixin()


def get_activation(argument, value):
    """`keras.activations.get` with an error that names the argument."""
    try:
        return keras.activations.get(value)
    except (ValueError, TypeError) as error:
        raise ValueError(
            f"`{argument}` must be the name of a Keras activation (such as "
            f"'tanh' or 'sigmoid') or a callable; received {argument}={value!r}."
        ) from error


class RecurrentCell(keras.layers.Layer, DropoutRNNCell):
    """Base of the recurrent cells: weights, arguments, the per-step API.

    A subclass sets `num_gates` (G: the weight blocks side by side) and
    `gate_names`, implements `step`, and lists its arguments with their
    defaults in its own `__init__`. Weights: `kernel` of shape
    `(input_dim, G * units)`, `recurrent_kernel` of shape `(units, G * units)`
    and `bias` of shape `(G * units,)` (or what `bias_shape` says).

    Called step by step (`cell(inputs, states)`), a cell behaves as Keras's
    cells do: it returns its new states as a list when given a list (a bare
    tensor when given one), and it keeps Keras's dropout-cell contract, one
    input mask and one recurrent mask per sequence, which `keras.layers.RNN`
    draws before its loop and clears after. `implementation`, which Keras's
    cells take in `**kwargs`, is accepted (0, 1 or 2) and ignored, as in
    Keras; it is not part of the config.
    """

    num_gates = 1
    gate_names = ()

    def __init__(
        self,
        units,
        *,
        activation,
        use_bias,
        kernel_initializer,
        recurrent_initializer,
        bias_initializer,
        kernel_regularizer,
        recurrent_regularizer,
        bias_regularizer,
        kernel_constraint,
        recurrent_constraint,
        bias_constraint,
        dropout,
        recurrent_dropout,
        seed,
        implementation=2,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if isinstance(implementation, bool) or implementation not in IMPLEMENTATIONS:
            raise ValueError(
                f"`implementation` must be one of {IMPLEMENTATIONS} (Keras's "
                f"values, ignored here as in Keras); received "
                f"implementation={implementation!r}."
            )
        units = check_positive_int("units", units)
        dropout = check_rate("dropout", dropout)
        recurrent_dropout = check_rate("recurrent_dropout", recurrent_dropout)
        seed = check_seed(seed)
        self.units = units
        self.activation = get_activation("activation", activation)
        self.use_bias = check_bool("use_bias", use_bias)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.recurrent_initializer = keras.initializers.get(recurrent_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.kernel_regularizer = keras.regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = keras.regularizers.get(recurrent_regularizer)
        self.bias_regularizer = keras.regularizers.get(bias_regularizer)
        self.kernel_constraint = keras.constraints.get(kernel_constraint)
        self.recurrent_constraint = keras.constraints.get(recurrent_constraint)
        self.bias_constraint = keras.constraints.get(bias_constraint)
        self.dropout = float(dropout)
        self.recurrent_dropout = float(recurrent_dropout)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.state_size = units
        self.output_size = units

    @property
    def bias_shape(self):
        return (self.num_gates * self.units,)

    def bias_initial_value(self, shape, dtype=None):
        return self.bias_initializer(shape, dtype=dtype)

    def build(self, input_shape):
        input_dim = input_shape[-1]
        width = self.num_gates * self.units
        self.kernel = self.add_weight(
            shape=(input_dim, width),
            name="kernel",
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, width),
            name="recurrent_kernel",
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        if self.use_bias:
            self.bias = self.add_weight(
                shape=self.bias_shape,
                name="bias",
                initializer=self.bias_initial_value,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None

    @property
    def input_bias(self):
        return self.bias

    def _compute_weight(self, weight):
        """`weight` in the compute dtype, as the engine reads every weight.

        `Layer.__call__` casts weights for mixed-precision policies; code
        that runs a cell's steps outside it (the step-by-step decoding of
        the ready-made models) does not, so the cast is made here (a no-op
        under `__call__`).
        """
        return ops.cast(weight, self.compute_dtype)

    def project_inputs(self, inputs):
        """`x W + b` for inputs of shape `(..., input_dim)`, all steps at once."""
        projected = ops.matmul(inputs, self._compute_weight(self.kernel))
        if self.use_bias:
            projected = projected + self._compute_weight(self.input_bias)
        return projected

    def recurrent_weights(self):
        """Tensors the step needs, sliced once per sequence, not once per step."""
        return (self._compute_weight(self.recurrent_kernel),)

    def step(self, projected, states, weights, recurrent_mask=None):
        """One time step from projected inputs.

        Args:
            projected: `project_inputs` of this step, `(batch, G * units)`.
            states: list of state tensors, each `(batch, units)`.
            weights: what `recurrent_weights()` returned.
            recurrent_mask: optional dropout mask multiplied into the
                state that enters the recurrent product.

        Returns:
            `(new_states, gates)`: the list of new states (the first is the
            output) and a dict of gate activations named by `gate_names`.
        """
        raise NotImplementedError

    def call(self, inputs, states, training=False):
        nested = keras.tree.is_nested(states)
        states = list(states) if nested else [states]
        recurrent_mask = None
        if training and self.dropout > 0:
            inputs = inputs * self.get_dropout_mask(inputs)
        if training and self.recurrent_dropout > 0:
            recurrent_mask = self.get_recurrent_dropout_mask(states[0])
        new_states, _ = self.step(
            self.project_inputs(inputs),
            states,
            self.recurrent_weights(),
            recurrent_mask,
        )
        if not nested and len(new_states) == 1:
            return new_states[0], new_states[0]
        return new_states[0], new_states

    def get_config(self):
        serialize = keras.saving.serialize_keras_object
        return {
            **super().get_config(),
            "units": self.units,
            "activation": keras.activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": serialize(self.kernel_initializer),
            "recurrent_initializer": serialize(self.recurrent_initializer),
            "bias_initializer": serialize(self.bias_initializer),
            "kernel_regularizer": serialize(self.kernel_regularizer),
            "recurrent_regularizer": serialize(self.recurrent_regularizer),
            "bias_regularizer": serialize(self.bias_regularizer),
            "kernel_constraint": serialize(self.kernel_constraint),
            "recurrent_constraint": serialize(self.recurrent_constraint),
            "bias_constraint": serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }


class GatedRecurrentCell(RecurrentCell):
    """A cell whose gates use a separate `recurrent_activation`."""

    def __init__(self, units, *, recurrent_activation, **kwargs):
        super().__init__(units, **kwargs)
        self.recurrent_activation = get_activation(
            "recurrent_activation", recurrent_activation
        )

    def get_config(self):
        return {
            **super().get_config(),
            "recurrent_activation": keras.activations.serialize(
                self.recurrent_activation
            ),
        }

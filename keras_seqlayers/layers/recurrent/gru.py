"""GRU with explicit update and reset gates (reset before the recurrent product).

Γu = σ(W_u [c_{t-1}, x_t] + b_u)
Γr = σ(W_r [c_{t-1}, x_t] + b_r)
c̃_t = tanh(W_c [Γr * c_{t-1}, x_t] + b_c)
c_t = Γu * c̃_t + (1 - Γu) * c_{t-1}
"""

import numpy as np
from keras import ops

from keras_seqlayers.checks import check_bool
from keras_seqlayers.layers.recurrent.cell import GatedRecurrentCell, given_arguments
from keras_seqlayers.layers.recurrent.engine import RecurrentLayer
from keras_seqlayers.registration import register


@register
class GRUCell(GatedRecurrentCell):
    """One step of the GRU, with the update gate weighing the NEW state.

    Weights: `kernel` `(input_dim, 3 * units)`, `recurrent_kernel`
    `(units, 3 * units)` and `bias` `(3 * units,)`, gate blocks in the column
    order `[update, reset, candidate]`. With `reset_after=True` the bias is
    `(2, 3 * units)`: the input bias row, then the recurrent bias row.

    The math and the differences from Keras's cell are those of `GRU`.

    Args:
        units: size of the memory cell `c` (the output).
        activation: activation of the candidate, default `"tanh"`.
        recurrent_activation: activation of the gates, default `"sigmoid"`.
        reset_after: `False` (default) applies the reset gate to `c_{t-1}`
            before the recurrent product, exactly the equations above; `True`
            applies it after the product, the cuDNN/PyTorch variant:
            `c̃ = tanh(W_c x + b_c + Γr * (U_c c_{t-1} + b'_c))`.
        use_bias, kernel_initializer, recurrent_initializer,
        bias_initializer, kernel_regularizer, recurrent_regularizer,
        bias_regularizer, kernel_constraint, recurrent_constraint,
        bias_constraint: weight options, as in Keras.
        dropout: fraction of input features dropped, in [0, 1).
        recurrent_dropout: fraction of `c_{t-1}` dropped before the recurrent
            product, in [0, 1).
        seed: seed of the dropout masks.

    Call arguments:
        inputs: `(batch, features)`, one time step.
        states: `c_{t-1}`, `(batch, units)`.
        training: whether dropout is applied.

    Example:

    >>> import numpy as np, keras
    >>> rnn = keras.layers.RNN(GRUCell(4))
    >>> rnn(np.zeros((2, 3, 5), "float32")).shape
    TensorShape([2, 4])

    Reference:
        Cho et al., "On the Properties of Neural Machine Translation:
        Encoder-Decoder Approaches", 2014; Chung et al., "Empirical
        Evaluation of Gated Recurrent Neural Networks on Sequence
        Modeling", 2014.
    """

    num_gates = 3
    gate_names = ("update", "reset", "candidate")

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        reset_after=False,
        seed=None,
        **kwargs,
    ):
        arguments = given_arguments(locals())
        reset_after = check_bool("reset_after", arguments.pop("reset_after"))
        super().__init__(**arguments)
        self.reset_after = reset_after

    @property
    def bias_shape(self):
        if self.reset_after:
            return (2, 3 * self.units)
        return (3 * self.units,)

    @property
    def input_bias(self):
        return self.bias[0] if self.reset_after else self.bias

    def recurrent_weights(self):
        units = self.units
        kernel = self._compute_weight(self.recurrent_kernel)
        if self.reset_after:
            recurrent_bias = (
                self._compute_weight(self.bias[1]) if self.use_bias else None
            )
            return kernel, recurrent_bias
        return kernel[:, : 2 * units], kernel[:, 2 * units :]

    def step(self, projected, states, weights, recurrent_mask=None):
        # Splits, not slices: the gradient of a split is one concatenation,
        # that of each slice a zero-padded copy of the whole tensor.
        previous = states[0]
        dropped = previous if recurrent_mask is None else previous * recurrent_mask
        projected_gates, projected_candidate = ops.split(
            projected, [2 * self.units], axis=-1
        )
        if self.reset_after:
            kernel, recurrent_bias = weights
            recurrent = ops.matmul(dropped, kernel)
            if recurrent_bias is not None:
                recurrent = recurrent + recurrent_bias
            recurrent_gates, recurrent_candidate = ops.split(
                recurrent, [2 * self.units], axis=-1
            )
            gates = self.recurrent_activation(projected_gates + recurrent_gates)
            update, reset = ops.split(gates, 2, axis=-1)
            candidate = self.activation(
                projected_candidate + reset * recurrent_candidate
            )
        else:
            gate_kernel, candidate_kernel = weights
            gates = self.recurrent_activation(
                projected_gates + ops.matmul(dropped, gate_kernel)
            )
            update, reset = ops.split(gates, 2, axis=-1)
            candidate = self.activation(
                projected_candidate + ops.matmul(reset * dropped, candidate_kernel)
            )
        state = update * candidate + (1 - update) * previous
        return [state], {"update": update, "reset": reset, "candidate": candidate}

    def set_weights(self, weights):
        """`Layer.set_weights`, refusing a bias laid out for the other variant.

        A bias of shape `(2, 3 * units)` given to `reset_after=False`, or
        `(3 * units,)` given to `reset_after=True`, is the other GRU variant's,
        most often `keras.layers.GRU`'s (default `reset_after=True`), whose
        update gate also weighs the other state: the error points to the
        converters. Keras weights of the same variant have our shapes and
        cannot be told apart here; convert those with `from_keras` or
        `convert_weights`.
        """
        other = (3 * self.units,) if self.reset_after else (2, 3 * self.units)
        if self.use_bias and len(weights) == 3 and np.shape(weights[2]) == other:
            raise ValueError(
                f"`weights` has a bias of shape {other}, that of a GRU with "
                f"reset_after={not self.reset_after}, but this GRU has "
                f"reset_after={self.reset_after} (bias shape {self.bias_shape}). "
                "If these are the weights of a keras.layers.GRU (whose update "
                "gate weighs the other state), convert the layer with "
                "keras_seqlayers.layers.from_keras(keras_gru), or its weights "
                "with keras_seqlayers.layers.convert_weights(weights, "
                "from_=keras_gru, to=this_gru)."
            )
        super().set_weights(weights)

    def get_config(self):
        return {**super().get_config(), "reset_after": self.reset_after}


@register
class GRU(RecurrentLayer):
    """Gated recurrent unit with explicit update and reset gates.

    Exactly the textbook equations (module docstring) by default. Runs on
    the package's engine: the input product of all steps is one matmul
    before the loop, the loop compiles under XLA, and exports never contain
    cuDNN ops.

    Takes every argument of `keras.layers.GRU`, with two deliberate
    differences (this layer and `GRUCell`): the update gate `Γu` weighs the
    NEW candidate, as in the textbook, where Keras's `z` weighs the old
    state (the two agree once the update block of every weight is negated,
    `σ(-a) = 1 - σ(a)`); and `reset_after` defaults to `False`, the
    textbook's reset before the recurrent product (Keras: `True`).

    Args:
        units: size of the memory cell and output.
        activation, recurrent_activation, reset_after, use_bias,
        kernel_initializer, recurrent_initializer, bias_initializer,
        kernel_regularizer, recurrent_regularizer, bias_regularizer,
        kernel_constraint, recurrent_constraint, bias_constraint, dropout,
        recurrent_dropout, seed: as in `GRUCell`. Dropout masks are drawn
            once per sequence.
        activity_regularizer: regularizer of the output, as in Keras.
        return_sequences: return every step's output, not only the last.
        return_state: also return the final state.
        go_backwards: process the sequence in reverse.
        stateful: carry the last state over to the next batch.
        unroll, use_cudnn, zero_output_for_mask: as in Keras (the
            `RecurrentLayer` base documents them); `use_cudnn=True` raises.
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`), and
            `implementation`, accepted and ignored as in Keras.

    Call arguments:
        inputs: float tensor `(batch, time, features)`.
        mask: optional boolean `(batch, time)`; masked steps keep the state.
        training: whether dropout is applied.
        initial_state: optional `[c_0]`, `(batch, units)`.

    Example:

    >>> import numpy as np
    >>> gru = GRU(8, return_sequences=True)
    >>> gru(np.zeros((2, 5, 3), "float32")).shape
    TensorShape([2, 5, 8])
    >>> sorted(gru.gate_activations(np.zeros((2, 5, 3), "float32")))
    ['candidate', 'reset', 'update']

    Reference:
        Cho et al., "On the Properties of Neural Machine Translation:
        Encoder-Decoder Approaches", 2014.
    """

    cell_class = GRUCell
    takes_use_cudnn = True

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        reset_after=False,
        use_cudnn="auto",
        zero_output_for_mask=False,
        **kwargs,
    ):
        super().__init__(**given_arguments(locals()))

    def gate_activations(self, inputs, mask=None):
        """The gates at every step, for looking inside.

        Args:
            inputs: `(batch, time, features)`.
            mask: optional boolean `(batch, time)`.

        Returns:
            dict with `"update"`, `"reset"` and `"candidate"`, each a
            `(batch, time, units)` NumPy array aligned with the input steps
            (zeros at masked steps).
        """
        return self._gate_sequences(inputs, mask=mask)

    def set_weights(self, weights):
        """`GRUCell.set_weights`: Keras-shaped weights point to the converters."""
        self.cell.set_weights(weights)

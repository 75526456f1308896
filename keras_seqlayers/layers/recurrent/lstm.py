"""LSTM with distinct memory cell `c` and output `a`.

c̃_t = tanh(W_c [a_{t-1}, x_t] + b_c)
Γi, Γf, Γo = σ(W_{i,f,o} [a_{t-1}, x_t] + b_{i,f,o})
c_t = Γi * c̃_t + Γf * c_{t-1}
a_t = Γo * tanh(c_t)
"""

import keras
from keras import ops

from keras_seqlayers.checks import check_bool
from keras_seqlayers.layers.recurrent.cell import GatedRecurrentCell, given_arguments
from keras_seqlayers.layers.recurrent.engine import RecurrentLayer
from keras_seqlayers.registration import register


@register
class LSTMCell(GatedRecurrentCell):
    """One step of the LSTM; states are `[a, c]`.

    Weights: `kernel` `(input_dim, 4 * units)`, `recurrent_kernel`
    `(units, 4 * units)` and `bias` `(4 * units,)`, gate blocks in the column
    order `[input, forget, candidate, output]` (the layout of
    `keras.layers.LSTMCell`).

    Args:
        units: size of `a` and `c`.
        activation: activation of the candidate and of `c_t` in the output,
            default `"tanh"`.
        recurrent_activation: activation of the gates, default `"sigmoid"`.
        unit_forget_bias: initialize the forget-gate bias to ones (Jozefowicz
            et al. 2015), default `True`.
        use_bias, kernel_initializer, recurrent_initializer,
        bias_initializer, kernel_regularizer, recurrent_regularizer,
        bias_regularizer, kernel_constraint, recurrent_constraint,
        bias_constraint: weight options, as in Keras.
        dropout: fraction of input features dropped, in [0, 1).
        recurrent_dropout: fraction of `a_{t-1}` dropped before the recurrent
            product, in [0, 1).
        seed: seed of the dropout masks.

    Call arguments:
        inputs: `(batch, features)`, one time step.
        states: `[a_{t-1}, c_{t-1}]`, each `(batch, units)`.
        training: whether dropout is applied.

    Example:

    >>> import numpy as np, keras
    >>> rnn = keras.layers.RNN(LSTMCell(4))
    >>> rnn(np.zeros((2, 3, 5), "float32")).shape
    TensorShape([2, 4])

    Reference:
        Hochreiter & Schmidhuber, "Long Short-Term Memory", 1997; Gers et al.,
        "Learning to Forget", 2000.
    """

    num_gates = 4
    gate_names = ("input", "forget", "output", "candidate", "cell")

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias=True,
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        **kwargs,
    ):
        arguments = given_arguments(locals())
        unit_forget_bias = check_bool(
            "unit_forget_bias", arguments.pop("unit_forget_bias")
        )
        super().__init__(**arguments)
        self.unit_forget_bias = unit_forget_bias
        self.state_size = [self.units, self.units]

    def bias_initial_value(self, shape, dtype=None):
        if not self.unit_forget_bias:
            return super().bias_initial_value(shape, dtype=dtype)
        units = self.units
        block = (units,)
        return ops.concatenate(
            [
                self.bias_initializer(block, dtype=dtype),
                keras.initializers.Ones()(block, dtype=dtype),
                self.bias_initializer((2 * units,), dtype=dtype),
            ]
        )

    def step(self, projected, states, weights, recurrent_mask=None):
        (recurrent_kernel,) = weights
        output, memory = states
        if recurrent_mask is not None:
            output = output * recurrent_mask
        z = projected + ops.matmul(output, recurrent_kernel)
        # One split, not four slices: its gradient is a single concatenation.
        z_input, z_forget, z_candidate, z_output = ops.split(z, 4, axis=-1)
        input_gate = self.recurrent_activation(z_input)
        forget = self.recurrent_activation(z_forget)
        output_gate = self.recurrent_activation(z_output)
        candidate = self.activation(z_candidate)
        memory = input_gate * candidate + forget * memory
        output = output_gate * self.activation(memory)
        gate_values = {
            "input": input_gate,
            "forget": forget,
            "output": output_gate,
            "candidate": candidate,
            "cell": memory,
        }
        return [output, memory], gate_values

    def get_config(self):
        return {**super().get_config(), "unit_forget_bias": self.unit_forget_bias}


@register
class LSTM(RecurrentLayer):
    """Long short-term memory layer with the textbook equations.

    Same arguments, defaults and weight layout as `keras.layers.LSTM`, run by
    the package's engine (input product hoisted out of the loop, XLA-ready,
    no cuDNN ops in exports). With `return_state=True` it returns
    `[output, a, c]`.

    Args:
        units: size of `a` and `c`.
        activation, recurrent_activation, unit_forget_bias, use_bias,
        kernel_initializer, recurrent_initializer, bias_initializer,
        kernel_regularizer, recurrent_regularizer, bias_regularizer,
        kernel_constraint, recurrent_constraint, bias_constraint, dropout,
        recurrent_dropout, seed: as in `LSTMCell`. Dropout masks are drawn
            once per sequence.
        return_sequences: return every step's output, not only the last.
        return_state: also return the final states `a` and `c`.
        go_backwards: process the sequence in reverse.
        stateful: carry the last states over to the next batch.
        unroll, use_cudnn, zero_output_for_mask: as in Keras
            (the `RecurrentLayer` base documents them).
        activity_regularizer: regularizer of the output, as in Keras.
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`), and
            `implementation`, accepted and ignored as in Keras.

    Call arguments:
        inputs: float tensor `(batch, time, features)`.
        mask: optional boolean `(batch, time)`; masked steps keep the states.
        training: whether dropout is applied.
        initial_state: optional `[a_0, c_0]`, each `(batch, units)`.

    Example:

    >>> import numpy as np
    >>> lstm = LSTM(8, return_state=True)
    >>> output, a, c = lstm(np.zeros((2, 5, 3), "float32"))
    >>> output.shape, c.shape
    (TensorShape([2, 8]), TensorShape([2, 8]))

    Reference:
        Hochreiter & Schmidhuber, "Long Short-Term Memory", 1997.
    """

    cell_class = LSTMCell
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
        unit_forget_bias=True,
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
        use_cudnn="auto",
        zero_output_for_mask=False,
        **kwargs,
    ):
        super().__init__(**given_arguments(locals()))

    def gate_activations(self, inputs, mask=None):
        """The gates and the memory cell at every step, for looking inside.

        Args:
            inputs: `(batch, time, features)`.
            mask: optional boolean `(batch, time)`.

        Returns:
            dict with `"input"`, `"forget"`, `"output"`, `"candidate"` and
            `"cell"` (the memory `c_t`), each a `(batch, time, units)` NumPy
            array aligned with the input steps (zeros at masked steps).
        """
        return self._gate_sequences(inputs, mask=mask)

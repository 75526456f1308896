"""Simple RNN: `a_t = g(W_a [a_{t-1}, x_t] + b_a)`, `a_0 = 0`."""

from keras import ops

from keras_seqlayers.layers.recurrent.cell import RecurrentCell, given_arguments
from keras_seqlayers.layers.recurrent.engine import RecurrentLayer
from keras_seqlayers.registration import register


@register
class SimpleRNNCell(RecurrentCell):
    """One step of the simple RNN: `a_t = g(x_t W + a_{t-1} U + b)`.

    `W [a, x]` of the textbook is split into `kernel` (acting on `x`) and
    `recurrent_kernel` (acting on `a`), the Keras layout.

    Args:
        units: size of the state `a`.
        activation: `g`, default `"tanh"`.
        use_bias: whether to add `b`.
        kernel_initializer, recurrent_initializer, bias_initializer:
            initializers of `kernel` `(input_dim, units)`, `recurrent_kernel`
            `(units, units)` and `bias` `(units,)`.
        kernel_regularizer, recurrent_regularizer, bias_regularizer:
            regularizers of those weights.
        kernel_constraint, recurrent_constraint, bias_constraint:
            constraints of those weights.
        dropout: fraction of the input features dropped, in [0, 1).
        recurrent_dropout: fraction of the state dropped before the recurrent
            product, in [0, 1).
        seed: seed of the dropout masks.

    Call arguments:
        inputs: `(batch, features)`, one time step.
        states: the previous state `a_{t-1}`, `(batch, units)`.
        training: whether dropout is applied.

    Example:

    >>> import numpy as np, keras
    >>> rnn = keras.layers.RNN(SimpleRNNCell(4))
    >>> rnn(np.zeros((2, 3, 5), "float32")).shape
    TensorShape([2, 4])

    Reference:
        Elman, "Finding structure in time", Cognitive Science 14, 1990.
    """

    def __init__(
        self,
        units,
        activation="tanh",
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
        seed=None,
        **kwargs,
    ):
        super().__init__(**given_arguments(locals()))

    def step(self, projected, states, weights, recurrent_mask=None):
        (recurrent_kernel,) = weights
        previous = states[0]
        if recurrent_mask is not None:
            previous = previous * recurrent_mask
        state = self.activation(projected + ops.matmul(previous, recurrent_kernel))
        return [state], {}


@register
class SimpleRNN(RecurrentLayer):
    """Fully connected RNN: `a_t = g(W_a [a_{t-1}, x_t] + b_a)`, `a_0 = 0`.

    Same arguments, defaults and weights as `keras.layers.SimpleRNN`, run by
    the package's engine: the input product of all steps happens in one
    matmul before the loop, and the loop compiles under XLA.

    Args:
        units: size of the state and output.
        activation: `g`, default `"tanh"`.
        use_bias, kernel_initializer, recurrent_initializer,
        bias_initializer, kernel_regularizer, recurrent_regularizer,
        bias_regularizer, kernel_constraint, recurrent_constraint,
        bias_constraint, dropout, recurrent_dropout, seed: as in
            `SimpleRNNCell`. Dropout masks are drawn once per sequence.
        return_sequences: return every step's output, not only the last.
        return_state: also return the final state.
        go_backwards: process the sequence in reverse.
        stateful: carry the last state over to the next batch.
        unroll, zero_output_for_mask: as in Keras
            (the `RecurrentLayer` base documents them).
        activity_regularizer: regularizer of the output, as in Keras.
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`), and
            `implementation`, accepted and ignored as in Keras.

    Call arguments:
        inputs: float tensor `(batch, time, features)`.
        mask: optional boolean `(batch, time)`; masked steps keep the state.
        training: whether dropout is applied.
        initial_state: optional `[a_0]`, `(batch, units)`.

    Example:

    >>> import numpy as np
    >>> layer = SimpleRNN(8, return_sequences=True)
    >>> layer(np.zeros((2, 5, 3), "float32")).shape
    TensorShape([2, 5, 8])

    Reference:
        Elman, "Finding structure in time", Cognitive Science 14, 1990.
    """

    cell_class = SimpleRNNCell

    def __init__(
        self,
        units,
        activation="tanh",
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
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        seed=None,
        zero_output_for_mask=False,
        **kwargs,
    ):
        super().__init__(**given_arguments(locals()))

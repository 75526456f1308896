"""The one scan engine behind every recurrent layer of the package.

Work is split so that the time loop does as little as possible: the inputs
of all time steps are multiplied by the kernel in one matmul before the loop
(`cell.project_inputs`), the recurrent weights are sliced once per sequence
(`cell.recurrent_weights`), and the loop body is only the recurrent product
(`cell.step`). Masking, direction, carried state and dropout live here, once.

The loop itself is `keras.layers.RNN`'s: its TensorFlow loop has a fixed
trip count, so its gradient compiles under XLA; `keras.ops.scan` builds a
loop without one, whose gradient does not compile under `jit_compile=True`
(docs/architecture.md, known TensorFlow/Keras pitfalls).
"""

import inspect

import keras
from keras import ops

from keras_seqlayers.checks import check_bool
from keras_seqlayers.layers.recurrent.states import state_sizes


class _Step:
    """One call's loop body: `cell.step` with that call's weights and mask.

    `keras.layers.RNN` hands its cell only the step's inputs and states, so
    what is fixed for one sequence (the sliced recurrent weights, the
    recurrent dropout mask, whether to return the gates) is bound here, in
    a fresh object for each call, never stored on the layer.
    """

    def __init__(self, cell, weights, recurrent_mask, with_gates):
        self.cell = cell
        self.weights = weights
        self.recurrent_mask = recurrent_mask
        self.with_gates = with_gates
        self.state_size = cell.state_size
        self.compute_dtype = cell.compute_dtype
        gates = len(cell.gate_names) if with_gates else 1
        self.output_size = cell.units * gates

    def call(self, inputs, states):
        states = list(states) if isinstance(states, (list, tuple)) else [states]
        new_states, gates = self.cell.step(
            inputs, states, self.weights, self.recurrent_mask
        )
        if self.with_gates:
            names = self.cell.gate_names
            return ops.concatenate([gates[n] for n in names], axis=-1), new_states
        return new_states[0], new_states

    __call__ = call


class _CarriedStates:
    """The state variables of a stateful layer, kept out of its weights.

    As in `keras.layers.RNN`, carried states are not weights: `get_weights()`
    stays `[kernel, recurrent_kernel, bias]`, so weights move between a
    stateful layer and a stateless one, and `.keras` files do not hold
    states. Keras tracks variables held in lists or tuples on a layer, not
    in a plain object like this one; exports still find them, as variables
    their functions use.
    """

    def __init__(self, variables):
        self.variables = variables


def check_call_dtypes(layer, inputs, initial_state):
    """Raises unless `inputs` and any `initial_state` tensors are floats.

    Recurrent layers and their wrappers call it in `__call__`, before Keras
    builds them (built for integer token ids, a layer would keep an input
    size of 1 and then refuse the embedded ids the error asks for) and
    where a symbolic call, which takes its shapes from
    `compute_output_shape` without `call`, still sees it.
    """
    _check_float_inputs(layer, inputs)
    _check_state_dtypes(initial_state)


def _check_float_inputs(layer, inputs):
    """Raises unless `inputs` (a tensor, array or nested list) are floats."""
    dtype = getattr(inputs, "dtype", None)
    if dtype is None:
        if any(hasattr(x, "dtype") for x in keras.tree.flatten(inputs)):
            return  # several tensors, not one: Keras's input checks say so
        dtype = ops.convert_to_tensor(inputs).dtype
    dtype = keras.backend.standardize_dtype(dtype)
    if "float" not in dtype:
        raise ValueError(
            f"{type(layer).__name__} expects float inputs (embed token ids "
            f"first, e.g. with keras.layers.Embedding); received dtype {dtype}."
        )


def _check_state_dtypes(initial_state):
    """Raises unless every tensor of `initial_state` is float."""
    if initial_state is None:
        return
    if not isinstance(initial_state, (list, tuple)):
        initial_state = [initial_state]
    for state in initial_state:
        dtype = getattr(state, "dtype", None)
        if dtype is None:
            continue  # not a tensor: the shape check reports it
        dtype = keras.backend.standardize_dtype(dtype)
        if "float" not in dtype:
            raise ValueError(
                "each `initial_state` tensor must be float, as states are; "
                f"received dtype {dtype}."
            )


def _check_use_cudnn(use_cudnn):
    """`use_cudnn` if it is "auto" or False; True is refused with the reason."""
    if use_cudnn is True:
        raise ValueError(
            "`use_cudnn=True` is not available: these layers have no cuDNN "
            "kernel, so that what they export runs on every device (a "
            "SavedModel holding cuDNN ops fails on CPU-only TF Serving, "
            "keras#18504). Pass use_cudnn='auto' or False (the same loop "
            "either way); received use_cudnn=True."
        )
    if use_cudnn is not False and use_cudnn != "auto":
        raise ValueError(
            f"`use_cudnn` must be 'auto' or False; received use_cudnn={use_cudnn!r}."
        )
    return use_cudnn


class RecurrentLayer(keras.layers.Layer):
    """Runs a recurrent cell over a sequence: the shared engine.

    Subclasses set `cell_class` and list every argument, with Keras's
    defaults, in their own `__init__`; the cell's arguments are forwarded to
    the cell and readable as layer attributes.

    Unlike Keras's layers, these refuse integer inputs with a `ValueError`
    (Keras casts them to float): token ids are embedded first, for example
    with `keras.layers.Embedding`.

    Args:
        return_sequences: return the output of every step, `(batch, time,
            units)`, instead of the last one, `(batch, units)`.
        return_state: also return the final states, after the output.
        go_backwards: read the sequence from its last step to its first;
            with `return_sequences`, outputs come in that reversed order.
        stateful: carry the final states of a batch over as the initial
            states of the next; needs a fixed batch size. `reset_state()`
            sets them back to zeros. As in Keras, the states (`states`) are
            not weights: `get_weights()` and `.keras` files leave them out.
        unroll: run the loop as one Python-unrolled graph instead of a
            symbolic loop (faster for short sequences, more memory); as in
            Keras it needs a known number of time steps.
        zero_output_for_mask: with a mask, output zeros at masked steps
            instead of repeating the last output (Keras's default, `False`);
            as in Keras, the last output is zero too where the last step
            read is masked.
        use_cudnn: `GRU` and `LSTM` only, as in Keras: `"auto"` (default)
            or `False`, both running the same loop; `True` raises, as these
            layers have no cuDNN kernel (their exports run on every device).
        **kwargs: the cell's arguments, `implementation` (accepted and
            ignored, as in Keras), and base layer arguments (`name`,
            `dtype`, `trainable`, `activity_regularizer`).

    Call arguments:
        inputs: float tensor of shape `(batch, time, features)`.
        mask: optional boolean tensor `(batch, time)`; at masked steps the
            states are carried over unchanged and the output repeats (or is
            zero with `zero_output_for_mask`).
        training: whether dropout is applied.
        initial_state: optional list of float state tensors, each
            `(batch, units)` (a layer with one state also takes the tensor
            alone); zeros by default.
    """

    cell_class = None
    # Only GRU and LSTM take `use_cudnn`, as in Keras: elsewhere it stays in
    # the keyword arguments for the base layer to refuse, and is no attribute.
    takes_use_cudnn = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in cls.cell_arguments():
            if not hasattr(cls, name):
                setattr(cls, name, property(lambda self, n=name: getattr(self.cell, n)))

    @classmethod
    def cell_arguments(cls):
        """The names of the cell's constructor arguments, in its order."""
        parameters = inspect.signature(cls.cell_class).parameters.values()
        return [p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]

    def __init__(
        self,
        units,
        *,
        return_sequences,
        return_state,
        go_backwards,
        stateful,
        unroll,
        zero_output_for_mask,
        **kwargs,
    ):
        use_cudnn = kwargs.pop("use_cudnn", "auto") if self.takes_use_cudnn else None
        cell_kwargs = {
            name: kwargs.pop(name)
            for name in (*self.cell_arguments(), "implementation")
            if name in kwargs
        }
        super().__init__(**kwargs)
        self.cell = self.cell_class(
            units,
            **cell_kwargs,
            dtype=self.dtype_policy,
            trainable=self.trainable,
            name=f"{self.name}_cell",
        )
        self.return_state = check_bool("return_state", return_state)
        self.stateful = check_bool("stateful", stateful)
        self.unroll = check_bool("unroll", unroll)
        self.zero_output_for_mask = check_bool(
            "zero_output_for_mask", zero_output_for_mask
        )
        if self.takes_use_cudnn:
            self.use_cudnn = _check_use_cudnn(use_cudnn)
        self.supports_masking = True
        self._carried = None
        self.return_sequences = return_sequences
        self.go_backwards = go_backwards

    @property
    def return_sequences(self):
        """Whether the output holds every step (else the last one)."""
        return self._return_sequences

    @return_sequences.setter
    def return_sequences(self, value):
        self._return_sequences = check_bool("return_sequences", value)

    @property
    def go_backwards(self):
        """Whether the sequence is read from its last step to its first."""
        return self._go_backwards

    @go_backwards.setter
    def go_backwards(self, value):
        self._go_backwards = check_bool("go_backwards", value)

    @property
    def states(self):
        """The carried state variables of a stateful layer, else None."""
        return None if self._carried is None else self._carried.variables

    def _check_input_shape(self, input_shape):
        """Rank 3 with a known feature size, the one built for if built."""
        input_shape = tuple(input_shape)
        if len(input_shape) != 3:
            raise ValueError(
                f"{type(self).__name__} expects inputs of rank 3 (batch, time, "
                f"features); received input shape {input_shape}."
            )
        if input_shape[-1] is None:
            raise ValueError(
                f"{type(self).__name__} needs a known feature size (last "
                f"dimension); received input shape {input_shape}."
            )
        if self.built:
            built_dim = self.cell.kernel.shape[0]
            if input_shape[-1] != built_dim:
                raise ValueError(
                    f"This {type(self).__name__} was built for inputs with "
                    f"{built_dim} features (last dimension); received input "
                    f"shape {input_shape}."
                )

    def __call__(self, inputs, *args, **kwargs):
        check_call_dtypes(self, inputs, kwargs.get("initial_state"))
        return super().__call__(inputs, *args, **kwargs)

    def build(self, input_shape):
        self._check_input_shape(input_shape)
        input_dim = input_shape[-1]
        batch_size = input_shape[0]
        if self.stateful and batch_size is None:
            raise ValueError(
                "`stateful=True` needs a fixed batch size: pass "
                "`batch_size=` to `keras.Input` (or `batch_shape=`); "
                f"received input shape {tuple(input_shape)}."
            )
        self.cell.build(input_shape)
        if self.stateful:
            with keras.name_scope(self.name, caller=self):
                self._carried = _CarriedStates(
                    [
                        keras.Variable(
                            keras.initializers.Zeros(),
                            shape=(batch_size, size),
                            dtype=self.variable_dtype,
                            trainable=False,
                            name=f"state_{i}",
                        )
                        for i, size in enumerate(state_sizes(self.cell))
                    ]
                )
        self.input_spec = keras.InputSpec(ndim=3, axes={-1: input_dim})

    def reset_state(self):
        """Sets the carried states of a stateful layer back to zeros."""
        if self.states is None:
            raise ValueError(
                "reset_state() applies to a built layer with stateful=True; "
                f"this layer has stateful={self.stateful}, built={self.built}."
            )
        for state in self.states:
            state.assign(ops.zeros_like(state))

    def reset_states(self):
        """`reset_state()`, under the name Keras also accepts."""
        self.reset_state()

    def _check_call(self, inputs, mask, initial_state):
        """Checks the call arguments; returns `initial_state` as a list or None."""
        if initial_state is not None and not isinstance(initial_state, (list, tuple)):
            # As Keras: one tensor for a layer with one state.
            initial_state = [initial_state]
        if self.unroll and inputs.shape[1] is None:
            raise ValueError(
                "`unroll=True` needs a known number of time steps (pass a "
                "`shape` with the time dimension to `keras.Input`); received "
                f"inputs of shape {tuple(inputs.shape)}."
            )
        batch = inputs.shape[0]
        if self.stateful and batch is not None:
            built_batch = self.states[0].shape[0]
            if batch != built_batch:
                raise ValueError(
                    f"This stateful {type(self).__name__} was built for batches "
                    f"of {built_batch} sequences (its carried states); received "
                    f"inputs of shape {tuple(inputs.shape)}. Build another "
                    "layer for another batch size (weights move with "
                    "get_weights/set_weights)."
                )
        if mask is not None:
            mask_shape = tuple(mask.shape)
            if len(mask_shape) != 2 or any(
                m is not None and i is not None and m != i
                for m, i in zip(mask_shape, tuple(inputs.shape)[:2], strict=True)
            ):
                raise ValueError(
                    "`mask` must have shape (batch, time) = "
                    f"{tuple(inputs.shape)[:2]}; received shape {mask_shape}."
                )
        if initial_state is not None:
            sizes = state_sizes(self.cell)
            if len(initial_state) != len(sizes):
                raise ValueError(
                    f"`initial_state` must be a list of {len(sizes)} tensor(s) "
                    f"for {type(self).__name__}; received {len(initial_state)}."
                )
            for state, size in zip(initial_state, sizes, strict=True):
                shape = tuple(state.shape)
                if (
                    len(shape) != 2
                    or shape[1] != size
                    or (None not in (shape[0], batch) and shape[0] != batch)
                ):
                    raise ValueError(
                        "each `initial_state` tensor must have shape (batch, "
                        f"{size}) with batch = {batch}; received shape {shape}."
                    )
        return initial_state

    def _initial_states(self, inputs, initial_state):
        if initial_state is not None:
            return [ops.cast(s, self.compute_dtype) for s in initial_state]
        if self.stateful:
            return [ops.cast(s.value, self.compute_dtype) for s in self.states]
        batch = ops.shape(inputs)[0]
        return [
            ops.zeros((batch, size), dtype=self.compute_dtype)
            for size in state_sizes(self.cell)
        ]

    def _dropout_masks(self, inputs, training):
        """One input mask and one recurrent mask per sequence."""
        cell = self.cell
        input_mask = recurrent_mask = None
        if training and cell.dropout > 0:
            ones = ops.ones_like(inputs[:, 0, :])
            input_mask = keras.random.dropout(
                ones, cell.dropout, seed=cell.seed_generator
            )
        if training and cell.recurrent_dropout > 0:
            ones = ops.zeros((ops.shape(inputs)[0], cell.units), self.compute_dtype)
            recurrent_mask = keras.random.dropout(
                ones + 1, cell.recurrent_dropout, seed=cell.seed_generator
            )
        return input_mask, recurrent_mask

    def _run(self, inputs, mask, training, initial_state, with_gates):
        """Runs the loop; returns its output and the final states.

        The output is the last step's (or with `return_sequences` every
        step's) output, or with `with_gates` every step's gates side by
        side, zeros at masked steps.
        """
        states = self._initial_states(inputs, initial_state)
        input_mask, recurrent_mask = self._dropout_masks(inputs, training)
        if input_mask is not None:
            inputs = inputs * ops.expand_dims(input_mask, 1)
        # Projected in time-major order: the transpose back to batch-major
        # cancels against the loop's own transpose to time-major (Grappler
        # and XLA both remove inverse transposes), so only the narrow inputs
        # are transposed, never the G-times wider projection.
        projected = self.cell.project_inputs(ops.transpose(inputs, (1, 0, 2)))
        projected = ops.transpose(projected, (1, 0, 2))
        step = _Step(
            self.cell, self.cell.recurrent_weights(), recurrent_mask, with_gates
        )
        # Built per call around this call's step; it holds no weights.
        loop = keras.layers.RNN(
            step,
            return_sequences=with_gates or self.return_sequences,
            return_state=True,
            go_backwards=self.go_backwards,
            unroll=self.unroll,
            dtype=self.dtype_policy,
            name="loop",
        )
        output, *final_states = loop(
            projected, initial_state=states, mask=mask, training=training
        )
        if mask is not None and (with_gates or self.zero_output_for_mask):
            output = self._zero_masked_steps(
                output, mask, with_gates or self.return_sequences
            )
        return output, final_states

    def _zero_masked_steps(self, output, mask, sequences):
        """`output` with zeros at masked steps: `zero_output_for_mask`.

        What the loop of `keras.layers.RNN` does with that option (the last
        output, too, is zero where the last step read is masked), done here
        because its unrolled form zeros the wrong steps of a sequence read
        backwards (it does not reverse the mask).
        """
        mask = ops.cast(mask, "bool")
        if self.go_backwards:
            mask = ops.flip(mask, axis=1)
        mask = ops.expand_dims(mask, -1) if sequences else mask[:, -1:]
        return ops.where(mask, output, ops.zeros_like(output))

    def call(
        self,
        inputs,
        mask=None,
        training=None,
        initial_state=None,
        _return_gates=False,
    ):
        # `_return_gates` serves `gate_activations`: the gates of every step,
        # a dict of `(batch, time, units)` tensors in input order, instead
        # of the outputs; carried states are left as they are.
        initial_state = self._check_call(inputs, mask, initial_state)
        output, final_states = self._run(
            inputs, mask, training, initial_state, _return_gates
        )
        if _return_gates:
            if self.go_backwards:
                output = ops.flip(output, axis=1)
            names = self.cell.gate_names
            parts = ops.split(output, len(names), axis=-1)
            return dict(zip(names, parts, strict=True))
        if self.stateful:
            for variable, state in zip(self.states, final_states, strict=True):
                variable.assign(ops.cast(state, variable.dtype))
        if self.return_state:
            return [output, *final_states]
        return output

    def _gate_sequences(self, inputs, mask=None):
        """Gate activations at every step, aligned with the input steps.

        Returns a dict from gate name to a `(batch, time, units)` NumPy
        array; at masked steps the values are zeros.
        """
        inputs = ops.convert_to_tensor(inputs)
        if self.built and "float" in keras.backend.standardize_dtype(inputs.dtype):
            # Said in this layer's terms (rank 3, feature size), where
            # `__call__` gives Keras's input-spec message; integer inputs are
            # left to `__call__`, whose dtype error comes first.
            self._check_input_shape(inputs.shape)
        gates = self(inputs, mask=mask, training=False, _return_gates=True)
        return {name: ops.convert_to_numpy(value) for name, value in gates.items()}

    def compute_mask(self, inputs, mask=None):
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(state_sizes(self.cell))
        return output_mask

    def compute_output_shape(self, inputs_shape, initial_state_shape=None):
        batch, time = inputs_shape[0], inputs_shape[1]
        units = self.cell.units
        output = (batch, time, units) if self.return_sequences else (batch, units)
        if self.return_state:
            return [output] + [(batch, size) for size in state_sizes(self.cell)]
        return output

    def get_config(self):
        cell_config = self.cell.get_config()
        for key in ("name", "dtype", "trainable"):
            cell_config.pop(key, None)
        return {
            **super().get_config(),
            **cell_config,
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
            **({"use_cudnn": self.use_cudnn} if hasattr(self, "use_cudnn") else {}),
        }

"""NumPy recurrences written straight from the textbook equations.

Independent of the package: plain loops over time, `W [a, x]` written as
`x @ W_x + a @ W_a`, gate blocks taken from the documented column order.
"""

import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def simple_rnn_step(x, states, kernel, recurrent_kernel, bias):
    (a,) = states
    return [np.tanh(x @ kernel + a @ recurrent_kernel + bias)]


def gru_step_with_gates(x, states, kernel, recurrent_kernel, bias, reset_after=False):
    """One GRU step: `([c_t], gates)`, gate blocks `[update, reset, candidate]`."""
    (c,) = states
    u = kernel.shape[1] // 3
    wu, wr, wc = np.split(kernel, 3, axis=1)
    uu, ur, uc = np.split(recurrent_kernel, 3, axis=1)
    if reset_after:
        bu, br, bc = np.split(bias[0], 3)
        ru, rr, rc = np.split(bias[1], 3)
    else:
        bu, br, bc = np.split(bias, 3)
        ru = rr = rc = np.zeros(u)
    update = sigmoid(x @ wu + c @ uu + bu + ru)
    reset = sigmoid(x @ wr + c @ ur + br + rr)
    if reset_after:
        candidate = np.tanh(x @ wc + bc + reset * (c @ uc + rc))
    else:
        candidate = np.tanh(x @ wc + (reset * c) @ uc + bc)
    gates = {"update": update, "reset": reset, "candidate": candidate}
    return [update * candidate + (1 - update) * c], gates


def gru_step(x, states, kernel, recurrent_kernel, bias, reset_after=False):
    new_states, _ = gru_step_with_gates(
        x, states, kernel, recurrent_kernel, bias, reset_after
    )
    return new_states


def lstm_step_with_gates(x, states, kernel, recurrent_kernel, bias):
    """One LSTM step: `([a_t, c_t], gates)`, gate blocks `[i, f, c̃, o]`."""
    a, c = states
    wi, wf, wc, wo = np.split(kernel, 4, axis=1)
    ui, uf, uc, uo = np.split(recurrent_kernel, 4, axis=1)
    bi, bf, bc, bo = np.split(bias, 4)
    candidate = np.tanh(x @ wc + a @ uc + bc)
    input_gate = sigmoid(x @ wi + a @ ui + bi)
    forget = sigmoid(x @ wf + a @ uf + bf)
    output = sigmoid(x @ wo + a @ uo + bo)
    c = input_gate * candidate + forget * c
    a = output * np.tanh(c)
    gates = {
        "input": input_gate,
        "forget": forget,
        "output": output,
        "candidate": candidate,
        "cell": c,
    }
    return [a, c], gates


def lstm_step(x, states, kernel, recurrent_kernel, bias):
    new_states, _ = lstm_step_with_gates(x, states, kernel, recurrent_kernel, bias)
    return new_states


def run(step, x, states, mask=None, go_backwards=False):
    """Loops `step` over time, per sequence, honouring mask and direction.

    Returns the outputs in processing order and the final states. At a
    masked step the states are kept and the output repeats the last one.
    """
    batch, time = x.shape[:2]
    mask = np.ones((batch, time), bool) if mask is None else mask
    order = range(time - 1, -1, -1) if go_backwards else range(time)
    states = [s.astype("float64") for s in states]
    output = np.zeros_like(states[0])
    outputs = []
    for t in order:
        new = step(x[:, t].astype("float64"), states)
        keep = mask[:, t][:, None]
        states = [np.where(keep, n, s) for n, s in zip(new, states, strict=True)]
        output = np.where(keep, new[0], output)
        outputs.append(output)
    return np.stack(outputs, axis=1), states


def run_gates(step_with_gates, x, states, mask=None, go_backwards=False):
    """Gate activations of every step, aligned with the input steps.

    `step_with_gates(x_t, states)` returns `(new_states, gates)`. Returns a
    dict from gate name to a `(batch, time, units)` array, zeros at masked
    steps (where the states are kept).
    """
    batch, time = x.shape[:2]
    mask = np.ones((batch, time), bool) if mask is None else mask
    order = range(time - 1, -1, -1) if go_backwards else range(time)
    states = [s.astype("float64") for s in states]
    gates = {}
    for t in order:
        new, step_gates = step_with_gates(x[:, t].astype("float64"), states)
        keep = mask[:, t][:, None]
        states = [np.where(keep, n, s) for n, s in zip(new, states, strict=True)]
        for name, value in step_gates.items():
            gates.setdefault(name, np.zeros((batch, time, value.shape[-1])))
            gates[name][:, t] = np.where(keep, value, 0.0)
    return gates


def step_for(layer):
    """The NumPy step matching a built layer of the package, with its weights."""
    kernel, recurrent_kernel, bias = layer.get_weights()[:3]
    name = type(layer).__name__
    if name == "SimpleRNN":
        return lambda x, s: simple_rnn_step(x, s, kernel, recurrent_kernel, bias)
    if name == "GRU":
        return lambda x, s: gru_step(
            x, s, kernel, recurrent_kernel, bias, layer.reset_after
        )
    if name == "LSTM":
        return lambda x, s: lstm_step(x, s, kernel, recurrent_kernel, bias)
    raise ValueError(name)

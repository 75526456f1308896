"""How many states a recurrent layer carries, and their sizes: one rule.

The engine, the wrappers and the ready-made models all count states here,
so a layer with a new number of states needs no change anywhere else.
"""


def state_sizes(cell):
    """The sizes of a cell's states, as a list (`state_size` may be an int)."""
    size = cell.state_size
    return list(size) if isinstance(size, (list, tuple)) else [size]


def state_count(layer):
    """How many state tensors `layer` returns with `return_state=True`.

    Works for this package's layers and wrappers (their `state_count`),
    `keras.layers.Bidirectional` (both directions) and any layer with a
    `cell`, such as `keras.layers.RNN` and its subclasses.
    """
    if hasattr(layer, "state_count"):
        return layer.state_count
    if hasattr(layer, "forward_layer") and hasattr(layer, "backward_layer"):
        return state_count(layer.forward_layer) + state_count(layer.backward_layer)
    return len(state_sizes(layer.cell))

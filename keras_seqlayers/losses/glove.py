"""GloVe's weighted least-squares loss."""

import keras
from keras import ops

from keras_seqlayers.checks import check_number
from keras_seqlayers.registration import register


@register
class GloVeLoss(keras.losses.Loss):
    """GloVe's weighted least squares `f(X_ij) (pred_ij - log X_ij)^2`.

    `f(x) = min(1, (x / x_max)^alpha)` for `x > 0` and `f(x) = 0` otherwise:
    pairs with `X_ij = 0` never contribute, and `log 0` is never taken (nor
    its gradient). With the default `reduction="sum"` the batch loss is the sum
    over its pairs, the objective `J` of the paper restricted to the batch;
    that scale suits AdaGrad's per-pair steps of the reference code.

    Args:
        x_max: the count at which the weight reaches 1 (a finite number > 0).
            Default 100.
        alpha: the exponent of the weight (a finite number > 0). Default 0.75.
        reduction: as in `keras.losses.Loss`. Default `"sum"`.
        name: the name of the loss.

    Call arguments:
        y_true: the counts `X_ij`, shape `(batch,)`; counts must be `>= 0`
            (`ksl.text.CooccurrenceMatrix` checks that). A negative, NaN or
            infinite count gives its pair a NaN loss (and no gradient).
        y_pred: the predictions `w_i · w~_j + b_i + b~_j`, same shape.

    Returns:
        The reduced loss (per-pair losses with `reduction=None`).

    Example:

    >>> import numpy as np
    >>> loss = GloVeLoss(x_max=10.0)
    >>> float(loss(np.array([10.0, 0.0]), np.array([0.0, 5.0])))  # log(10)^2
    5.301898...

    Reference:
        Pennington, Socher and Manning, "GloVe: Global Vectors for Word
        Representation", EMNLP 2014, equations (8) and (9).
    """

    def __init__(self, x_max=100.0, alpha=0.75, reduction="sum", name="glove_loss"):
        super().__init__(name=name, reduction=reduction)
        self.x_max = check_number("x_max", x_max, inclusive=False)
        self.alpha = check_number("alpha", alpha, inclusive=False)

    def call(self, y_true, y_pred):
        y_pred = ops.convert_to_tensor(y_pred)
        y_true = ops.convert_to_tensor(y_true)
        # Counts of shape (batch, 1) against scores of shape (batch,), or the
        # reverse, pair up one to one (not as a broadcast (batch, batch)).
        if len(y_true.shape) == len(y_pred.shape) + 1 and y_true.shape[-1] == 1:
            y_true = ops.squeeze(y_true, -1)
        elif len(y_pred.shape) == len(y_true.shape) + 1 and y_pred.shape[-1] == 1:
            y_pred = ops.squeeze(y_pred, -1)
        weight, log_x = self.weights_and_targets(y_true, y_pred.dtype)
        loss = weight * ops.square(y_pred - log_x)
        # A negative, NaN or infinite count is no count: its term is NaN,
        # never a silent 0, and its zero weight sends no gradient through
        # `where`.
        counted = _is_count(ops.cast(y_true, loss.dtype))
        return ops.where(counted, loss, ops.cast(float("nan"), loss.dtype))

    def weights_and_targets(self, y_true, dtype="float32"):
        """Each pair's weight `f(X_ij)` and target `log X_ij`.

        Both are 0 where `X_ij = 0` (and where a count is negative, NaN or
        infinite in `dtype`, which `call` then marks NaN), so such a pair's
        term and gradient are 0 whatever its prediction.

        Args:
            y_true: the counts `X_ij`.
            dtype: the dtype of the results. Default `"float32"`.

        Returns:
            A pair `(f(X), log X)` of tensors shaped like `y_true`.
        """
        x = ops.cast(y_true, dtype)
        present = ops.logical_and(x > 0, _is_count(x))
        # Substituting 1 for absent counts keeps log and power finite (and
        # their gradients), and the mask then zeroes the term.
        safe = ops.where(present, x, ops.ones_like(x))
        weight = ops.minimum(ops.power(safe / self.x_max, self.alpha), 1.0)
        weight = ops.where(present, weight, ops.zeros_like(weight))
        return weight, ops.log(safe)

    def get_config(self):
        return {**super().get_config(), "x_max": self.x_max, "alpha": self.alpha}


def _is_count(x):
    """Where the float tensor `x` holds a count: finite and `>= 0`."""
    return ops.logical_and(x >= 0, ops.isfinite(x))

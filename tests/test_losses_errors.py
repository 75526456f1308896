"""Bad arguments of the losses."""

import pytest

from keras_seqlayers.losses import GloVeLoss


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"x_max": "100"},
            r"`x_max` must be a finite number > 0; received x_max='100'",
        ),
        ({"x_max": True}, r"`x_max` must be a finite number > 0; received x_max=True"),
        ({"alpha": None}, r"`alpha` must be a finite number > 0; received alpha=None"),
    ],
)
def test_glove_loss_bad_argument_types(kwargs, match):
    with pytest.raises(TypeError, match=match):
        GloVeLoss(**kwargs)

"""The backend-neutral tests, run under Keras's JAX backend.

Keras fixes its backend when it is first imported, so these tests run in a
pytest process of their own:

    KERAS_BACKEND=jax python -m pytest tests/backend

Under any other backend (the main suite's TensorFlow) this directory is not
collected, so its modules are never imported there.
"""

import keras


def pytest_ignore_collect(collection_path, config):
    del collection_path, config
    return keras.backend.backend() != "jax"

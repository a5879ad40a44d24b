"""lectureml: the numpy library behind the course on neural networks, CNNs and deep learning.

One module per lecture idea, each operation a forward/backward pair. Submodules are
imported on first use, so `import lectureml` stays cheap:

    import lectureml as lml
    out = lml.conv.conv2d(x, w, padding=1)
"""

import importlib

__version__ = "0.1.0"

_SUBMODULES = (
    "activations",
    "approximation",
    "conv",
    "data",
    "diagnostics",
    "dropout",
    "gradcheck",
    "grading",
    "images",
    "layers",
    "losses",
    "mlp",
    "optim",
    "plotting",
    "pooling",
    "profiling",
    "receptive_field",
    "training",
    "transforms",
    "widgets",
)

__all__ = list(_SUBMODULES)


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"lectureml.{name}")
    raise AttributeError(f"module 'lectureml' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_SUBMODULES))

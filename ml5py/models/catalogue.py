"""Which model is which: the public classes a sketch imports from ml5py, and where each lives.

CPython only. Two readers:

- ``ml5py/runtime_cpython.py`` gathers every model's CPython twin into ``rt``;
- ``ml5py build`` (``tooling/page_models.py``) gives a page only the models its sketch
  uses, with their browser twins, and the models those use in turn, and only the registry
  facts of the tasks they read (``tooling/page_config.py``) and only the TF.js parts they
  call (``tooling/page_scripts.py``).

A model is a package ``ml5py.models.<folder>``: its class in ``<folder>/<folder>.py``
and, when it needs more than the core, its twins ``runtime_cpython.py`` / ``runtime_browser.py``.
``tests/test_page_models.py`` checks this table against the folders and their imports.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, List, Tuple


@dataclass(frozen=True)
class Model:
    name: str                    # the public class: ``from ml5py import <name>``
    folder: str                  # its package: ``ml5py/models/<folder>/``
    uses: Tuple[str, ...] = ()   # the other models its code imports (they load with it)
    twins: bool = True           # has ``runtime_cpython.py`` and ``runtime_browser.py``
    tasks: Tuple[str, ...] = ()  # the registry tasks whose facts its page needs (tooling/page_config.py)
    tfjs: Tuple[str, ...] = ()   # the TF.js parts beyond the core it calls: "layers" (also every gradient), "converter"

    @property
    def package(self) -> str:
        return f"ml5py.models.{self.folder}"

    @property
    def module(self) -> str:
        """The module that defines the class."""
        return f"{self.package}.{self.folder}"

    def twin(self, runtime: str) -> str:
        """The module of its twin for ``runtime`` ("cpython" or "browser")."""
        return f"{self.package}.runtime_{runtime}"


MODELS: Tuple[Model, ...] = (
    Model("ImageClassifier", "image_classifier", twins=False, tasks=("image-classifier",), tfjs=("layers",)),
    Model("FeatureExtractor", "feature_extractor", uses=("ImageClassifier",), tfjs=("layers",)),
    Model("KNNClassifier", "knn_classifier"),
    Model("StyleTransfer", "style_transfer", tasks=("style-transfer",)),
    Model("BodyPix", "body_pix", tasks=("body-segmentation",), tfjs=("converter",)),
    # (train() needs every op's gradient: only TF.js's layers part registers them)
    Model("NeuralNetwork", "neural_network", tfjs=("layers",)),
    Model("BodyPose", "body_pose", tasks=("body-pose",), tfjs=("converter",)),
)


def model_named(name: str) -> Model:
    for model in MODELS:
        if model.name == name:
            return model
    raise KeyError(f"No model is called {name!r}; the models are: {', '.join(m.name for m in MODELS)}.")


def with_what_they_use(models: Iterable[Model]) -> List[Model]:
    """``models`` and every model they use (and those use...), in the catalogue's order."""
    wanted = set()
    waiting = [model.name for model in models]
    while waiting:
        name = waiting.pop()
        if name not in wanted:
            wanted.add(name)
            waiting.extend(model_named(name).uses)
    return [model for model in MODELS if model.name in wanted]

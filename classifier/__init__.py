"""Map purchase lines (``2025年度全民意外伤害保险``, ``12345热线外包``) to ranked catalog leaves.

>>> from classifier import get_model
>>> model = get_model()            # trains on first use, then loads the saved model
>>> model.classify("社工站运营", department="县民政局").best.key
'民政/A100301'

Errors::

    ClassifierError
    ├── EmptyTextError
    ├── TrainingDataError
    ├── NotFittedError
    └── ModelFileError
        └── ModelMismatchError
"""

from ._data import (
    Alias,
    LabeledLine,
    bundled_aliases,
    bundled_dev,
    bundled_training,
    parse_gold,
    read_aliases,
    read_labeled,
)
from ._errors import (
    ClassifierError,
    EmptyTextError,
    ModelFileError,
    ModelMismatchError,
    NotFittedError,
    TrainingDataError,
)
from ._evaluate import Evaluation, evaluate
from ._model import GpscClassifier
from ._normalize import normalize
from ._persist import default_model_path, get_model, load_model, save_model, train_default_model
from ._results import Candidate, Classification, PartialCode
from ._tokenize import tokenize

__all__ = [
    "Alias",
    "Candidate",
    "Classification",
    "ClassifierError",
    "EmptyTextError",
    "Evaluation",
    "GpscClassifier",
    "LabeledLine",
    "ModelFileError",
    "ModelMismatchError",
    "NotFittedError",
    "PartialCode",
    "TrainingDataError",
    "bundled_aliases",
    "bundled_dev",
    "bundled_training",
    "default_model_path",
    "evaluate",
    "get_model",
    "load_model",
    "normalize",
    "parse_gold",
    "read_aliases",
    "read_labeled",
    "save_model",
    "tokenize",
    "train_default_model",
]

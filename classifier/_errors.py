"""Errors raised by the classifier package::

ClassifierError
├── EmptyTextError        a purchase line with nothing to classify
├── TrainingDataError     a labelled file with missing columns or unknown gold leaves
├── NotFittedError        predicting with a model that was never fitted
└── ModelFileError        a saved model that cannot be used
    └── ModelMismatchError    saved for another catalog, format or library version
"""

from __future__ import annotations


class ClassifierError(Exception):
    """Base class of every error the classifier package raises."""


class EmptyTextError(ClassifierError, ValueError):
    """The text is empty, or nothing is left of it after normalisation (only a year or a number)."""


class TrainingDataError(ClassifierError, ValueError):
    """A labelled data file cannot be used; the message names the file, line and problem."""


class NotFittedError(ClassifierError, RuntimeError):
    """``classify`` was called on a model whose ``fit`` never ran."""


class ModelFileError(ClassifierError):
    """A model file is missing, corrupt or not a gpsc model."""


class ModelMismatchError(ModelFileError):
    """A model file was saved for another catalog, format or library version: retrain with ``gpsc train``."""


class ThreadSettingError(ClassifierError, ValueError):
    """A thread count that is not a positive whole number (``GPSC_THREADS``, ``set_threads``)."""

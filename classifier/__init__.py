"""Map purchase lines (``2025年度全民意外伤害保险``, ``12345热线外包``) to ranked catalog leaves.

The ranking is this package; the decision on top of it (eligible / ineligible / review, the negative
list, the audit) is its public part ``classifier.eligibility``.

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

from ._cachefile import atomic_dump, cache_dir, load_or_build
from ._content import NO_CONTENT_MESSAGE, no_content
from ._data import (
    Alias,
    LabeledLine,
    PinmuLine,
    RealTitle,
    bundled_aliases,
    bundled_dev,
    bundled_negatives,
    bundled_no_leaf,
    bundled_pinmu_training,
    bundled_procurement_dev,
    bundled_real_titles,
    bundled_training,
    bundled_verdict_dev,
    input_hashes,
    parse_gold,
    read_aliases,
    read_labeled,
    read_pinmu_lines,
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
from ._features import char_vectorizer, word_vectorizer
from ._model import MAX_LINE_CHARS, GpscClassifier
from ._normalize import key_text, normalize
from ._persist import (
    FORMAT_VERSION as MODEL_FORMAT,
)
from ._persist import (
    default_model_path,
    get_model,
    library_versions,
    load_model,
    save_model,
    train_default_model,
)
from ._pinmu_model import (
    PINMU_FORMAT,
    PinmuCandidate,
    PinmuClassifier,
    PinmuEvaluation,
    PinmuRanking,
    description_terms,
    evaluate_pinmu,
)
from ._pinmu_model import item_label as pinmu_label
from ._real_split import project_key
from ._real_split import side as project_side
from ._real_types import RealTypeModel
from ._reference import Reference
from ._results import Candidate, Classification, PartialCode
from ._scope import PurchaseScope, normalize_line, purchase_scope
from ._threads import get_threads, set_threads
from ._tokenize import clear_token_cache, tokenize

__all__ = [
    "MAX_LINE_CHARS",
    "MODEL_FORMAT",
    "NO_CONTENT_MESSAGE",
    "PINMU_FORMAT",
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
    "PinmuCandidate",
    "PinmuClassifier",
    "PinmuEvaluation",
    "PinmuLine",
    "PinmuRanking",
    "PurchaseScope",
    "RealTitle",
    "RealTypeModel",
    "Reference",
    "TrainingDataError",
    "atomic_dump",
    "bundled_aliases",
    "bundled_dev",
    "bundled_negatives",
    "bundled_no_leaf",
    "bundled_pinmu_training",
    "bundled_procurement_dev",
    "bundled_real_titles",
    "bundled_training",
    "bundled_verdict_dev",
    "cache_dir",
    "char_vectorizer",
    "clear_token_cache",
    "default_model_path",
    "description_terms",
    "evaluate",
    "evaluate_pinmu",
    "get_model",
    "get_threads",
    "input_hashes",
    "key_text",
    "library_versions",
    "load_model",
    "load_or_build",
    "no_content",
    "normalize",
    "normalize_line",
    "parse_gold",
    "pinmu_label",
    "project_key",
    "project_side",
    "purchase_scope",
    "read_aliases",
    "read_labeled",
    "read_pinmu_lines",
    "save_model",
    "set_threads",
    "tokenize",
    "train_default_model",
    "word_vectorizer",
]

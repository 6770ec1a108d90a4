"""The review record: decisions officers take on the lines the model sent to ``review``.

An officer with a token (``gpsc reviewers add``) records a verdict for a line; it then stands for every line
with the same normalized text and department, until a newer decision supersedes it or its author undoes it.
Nothing is overwritten: the full history stays readable (``entries``). Lines judged ``review`` that nobody has
decided yet are counted in a queue (``note_open``, ``queue``). The record lives in a SQLite file per user by
default, or in PostgreSQL for an office (``GPSC_DB``); the schema is migrated with Alembic on open.

Judging uses the record through ``open_record``: a ``RecordGuard`` that never lets a missing, slow or broken
record stop a check, a tag or an audit. ``apply_reviews`` puts the standing decisions in place of the model's
verdicts (``review_dict`` is their JSON, ``reviewed_by`` the sheet's 人工审定 cell), ``open_lines`` and
``queue_line`` are the undecided lines the queue counts, and ``record_decision`` checks and stores a decision.

>>> import tempfile
>>> from service.reviews import open_store
>>> with tempfile.TemporaryDirectory() as folder, open_store(f"sqlite:///{folder}/reviews.db") as store:
...     token = store.add_reviewer("张三")
...     entry = store.record("张三", text="12345热线外包", normalized="12345热线外包", department="行政审批",
...                          department_written="县行政审批服务管理局", verdict="eligible", code="A180701")
...     store.standing([("12345热线外包", "行政审批")])[("12345热线外包", "行政审批")].code
'A180701'
"""

from service.lazy import lazy_names

_HOMES = {
    "default_db_url": "._address",
    "ReviewAuthError": "._errors",
    "ReviewError": "._errors",
    "ReviewForbiddenError": "._errors",
    "ReviewInputError": "._errors",
    "ReviewNotFoundError": "._errors",
    "VERDICTS": "._records",
    "Entry": "._records",
    "QueueItem": "._records",
    "ReviewerInfo": "._records",
    "ReviewStore": "._store",
    "open_store": "._store",
    "BudgetedRecord": "._record_guard",
    "RecordGuard": "._record_guard",
    "open_record": "._record_guard",
    "Reviewed": "._reviewed",
    "apply_reviews": "._reviewed",
    "open_lines": "._reviewed",
    "queue_line": "._reviewed",
    "record_decision": "._reviewed",
    "review_dict": "._reviewed",
    "reviewed_by": "._reviewed",
}


__getattr__, __dir__ = lazy_names(__name__, _HOMES)


__all__ = [
    "VERDICTS",
    "BudgetedRecord",
    "Entry",
    "QueueItem",
    "RecordGuard",
    "ReviewAuthError",
    "ReviewError",
    "ReviewForbiddenError",
    "ReviewInputError",
    "ReviewNotFoundError",
    "ReviewStore",
    "Reviewed",
    "ReviewerInfo",
    "apply_reviews",
    "default_db_url",
    "open_lines",
    "open_record",
    "open_store",
    "queue_line",
    "record_decision",
    "review_dict",
    "reviewed_by",
]

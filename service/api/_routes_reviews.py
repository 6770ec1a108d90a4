"""The review record over HTTP: ``POST/GET /v1/reviews``, ``DELETE /v1/reviews/{id}`` (an undo) and the queue of
lines still waiting for a person, ``GET /v1/reviews/queue``.

Reading is open; recording needs a reviewer token (``Authorization: Bearer <token>``, from ``gpsc reviewers
add``). Every write is attributed to the token's reviewer, and nobody can undo another reviewer's entry.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request

from classifier.eligibility import Checker
from service.reviews import ReviewError, ReviewStore, record_decision

from ._deps import get_checker
from ._errors import ApiError, error_responses
from ._models import QueueList, ReviewEntry, ReviewList, ReviewRequest

router = APIRouter(prefix="/v1", tags=["reviews"])
Checker = Annotated[Checker, Depends(get_checker)]
_STATUS = {"unauthorized": 401, "forbidden": 403, "not_found": 404, "invalid_review": 400}


def store_for(request: Request, *, create: bool) -> ReviewStore | None:
    """The app's review store, opened once: for reading only when it exists (``create=False``), for writing
    always (the default SQLite file is made on the first decision)."""
    from service.reviews import open_store

    state = request.app.state
    store = getattr(state, "reviews", None)
    if store is None:
        try:
            store = open_store(state.settings.db_url, create=create)
        except ReviewError as error:
            raise _api_error(error) from error
        state.reviews = store
        if store is not None and getattr(state, "record", None) is not None:
            state.record.look_again()  # the record may exist only now: judging must not wait to see it
    return store


def record_for(request: Request):
    """The app's review record as judging uses it: a ``RecordGuard`` (optional, time-limited, never raising), made
    once per app, with this client's queue notes rationed (``NoteQuota``)."""
    from service.reviews import BudgetedRecord, open_record

    from ._limits import NoteQuota

    state = request.app.state
    record = getattr(state, "record", None)
    if record is None:
        record = state.record = open_record(state.settings.db_url)
        state.note_quota = NoteQuota(state.settings.queue_notes_per_minute)
    client = request.client.host if request.client else "?"
    return BudgetedRecord(record, lambda wanted: state.note_quota.take(client, wanted))


def _api_error(error: ReviewError) -> ApiError:
    code = getattr(error, "code", "database_unavailable")
    return ApiError(_STATUS.get(code, 503), code, str(error))


def _reviewer(request: Request, authorization: str | None) -> tuple[ReviewStore, str]:
    store = store_for(request, create=True)
    scheme, _, token = (authorization or "").partition(" ")
    try:
        info = store.authenticate(token.strip() if scheme.lower() == "bearer" else None)
    except ReviewError as error:
        raise _api_error(error) from error
    return store, info.name


Authorization = Annotated[str | None, Header(description="Bearer <reviewer token>")]


@router.post(
    "/reviews",
    status_code=201,
    response_model=ReviewEntry,
    responses=error_responses(400, 401, 413, 422, 503),
    summary="Record a reviewer's decision on a line",
)
def add_review(body: ReviewRequest, request: Request, checker: Checker, authorization: Authorization = None) -> dict:
    """The decision is kept with who, when, the line, its normalised form, the resolved buyer, the model's verdict
    and versions; a newer decision on the same line supersedes it, and the history stays."""
    store, reviewer = _reviewer(request, authorization)
    try:
        entry, _ = record_decision(
            store,
            checker,
            reviewer,
            text=body.text,
            department=body.department,
            verdict=body.verdict,
            code=body.code,
            pinmu_code=body.pinmu_code,
            note=body.note,
        )
    except ReviewError as error:
        raise _api_error(error) from error
    return entry.to_dict()


@router.get("/reviews", response_model=ReviewList, responses=error_responses(422, 503), summary="Recorded decisions")
def list_reviews(
    request: Request,
    text: Annotated[str | None, Query(max_length=2000)] = None,
    department: Annotated[str | None, Query(max_length=100)] = None,
    reviewer: Annotated[str | None, Query(max_length=100)] = None,
    since: Annotated[str | None, Query(max_length=40, description="ISO date or time, e.g. 2026-12-01")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Entries per page, newest first")] = 100,
    offset: Annotated[int, Query(ge=0, description="Entries to skip")] = 0,
) -> dict:
    """The recorded decisions and undos, newest first, a page at a time; ``total`` counts all that match."""
    store = store_for(request, create=False)
    if store is None:
        return {"data": [], "count": 0, "total": 0, "limit": limit, "offset": offset}
    filters = {"text": text, "department": department, "reviewer": reviewer, "since": since}
    try:
        entries = store.entries(**filters, limit=limit, offset=offset)
        total = store.count_entries(**filters)
    except ReviewError as error:
        raise _api_error(error) from error
    return {
        "data": [e.to_dict() for e in entries],
        "count": len(entries),
        "total": total,
        "limit": limit,
        "offset": offset,
    }


@router.get(
    "/reviews/queue",
    response_model=QueueList,
    responses=error_responses(503),
    summary="Lines waiting for a person, most rows first",
)
def queue(request: Request, limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> dict:
    """Open ``review`` lines from recent checks and uploads, grouped by normalised line and buyer: one decision
    settles every row of a group."""
    store = store_for(request, create=False)
    if store is None:
        return {"data": [], "count": 0}
    items = store.queue(limit=limit)
    data = [
        {
            "normalized": i.normalized,
            "text": i.text,
            "department": i.department,
            "count": i.count,
            "units": list(i.units),
            "last_seen": i.last_seen.isoformat() if hasattr(i.last_seen, "isoformat") else str(i.last_seen),
        }
        for i in items
    ]
    return {"data": data, "count": len(data)}


@router.delete(
    "/reviews/{entry_id}",
    response_model=ReviewEntry,
    responses=error_responses(401, 403, 404, 503),
    summary="Undo one of your decisions",
)
def undo_review(entry_id: int, request: Request, authorization: Authorization = None) -> dict:
    """Records an undo (the decision and its history stay); the previous decision on the line, if any, stands."""
    store, reviewer = _reviewer(request, authorization)
    try:
        return store.undo(reviewer, entry_id).to_dict()
    except ReviewError as error:
        raise _api_error(error) from error

"""``POST /v1/check`` and ``POST /v1/classify``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from classifier.eligibility import Checker
from service.reviews import apply_reviews, open_lines, review_dict
from service.shapes import candidate_dict, partial_dict, pinmu_dict, verdict_dict
from service.sheets import TaggingCancelled

from ._deps import client_gone, get_checker, get_settings
from ._errors import ApiError, error_responses
from ._models import CheckRequest, CheckResponse, ClassifyRequest, ClassifyResponse
from ._routes_reviews import record_for
from ._settings import Settings

router = APIRouter(prefix="/v1", tags=["check"])
CLASSIFY_CHUNK = 500
Checker = Annotated[Checker, Depends(get_checker)]
Limits = Annotated[Settings, Depends(get_settings)]


def _check_length(text: str, settings: Settings, where: str = "text") -> None:
    if len(text) > settings.max_text_chars:
        raise ApiError(422, "text_too_long", f"{where} 有 {len(text)} 字，最多 {settings.max_text_chars} 字")


@router.post(
    "/check",
    responses=error_responses(400, 408, 413, 422),
    response_model=CheckResponse,
    summary="May this purchase be bought as 政府购买服务?",
)
def check(request: CheckRequest, http: Request, checker: Checker, settings: Limits) -> dict:
    """One purchase line (and optionally its buyer) -> verdict, chosen leaf, candidates and reasons. A line the
    team has decided gets that decision (``review``), with the model's own verdict in ``model_verdict``."""
    _check_length(request.text, settings)
    if request.detail:
        _check_length(request.detail, settings, "detail")
    verdict = checker.check(request.text, request.department, top_k=request.top_k, detail=request.detail)
    record = record_for(http)  # optional: a record that cannot be read leaves review_warning, never an error
    (reviewed,) = apply_reviews(record, [verdict], checker)
    record.note_open(open_lines([reviewed]), source="check")
    return verdict_dict(
        reviewed.verdict,
        review=review_dict(reviewed.entry, checker.catalog),
        model_verdict=verdict.verdict,
        review_warning=reviewed.warning or record.warning,
    )


@router.post(
    "/classify",
    responses=error_responses(400, 408, 413, 422),
    response_model=ClassifyResponse,
    summary="Ranked catalog leaves for many lines",
)
def classify(request: ClassifyRequest, http: Request, checker: Checker, settings: Limits) -> dict:
    """Up to ``max_items`` (10,000) lines and ``max_classify_chars`` (400,000) characters, judged 500 at a time; a
    line that cannot be classified gets ``error``, the rest go on."""
    if len(request.items) > settings.max_items:
        raise ApiError(422, "too_many_items", f"共 {len(request.items)} 项，每次最多 {settings.max_items} 项")
    for number, item in enumerate(request.items, start=1):
        _check_length(item.text, settings, f"items[{number}].text")
    total = sum(len(item.text) for item in request.items)
    if total > settings.max_classify_chars:
        raise ApiError(
            422, "too_many_chars", f"各项文字共 {total} 字，每次最多 {settings.max_classify_chars} 字：请分批提交"
        )
    texts = [item.text for item in request.items]
    departments = [item.department for item in request.items]
    gone = client_gone(http)
    results, items = [], []
    for start in range(0, len(texts), CLASSIFY_CHUNK):  # memory bounded by a chunk; a client that left stops it
        if gone is not None and start and gone():
            raise TaggingCancelled("请求方已断开，处理已停止")
        part = slice(start, start + CLASSIFY_CHUNK)
        for result, item in checker.rank_many(texts[part], departments[part], top_k=request.top_k):
            results.append(result)
            items.append(item)
    return {
        "results": [
            {
                "text": r.text,
                "department": r.department,
                "candidates": [candidate_dict(c, r.department) for c in r.candidates],
                "shortcut": r.shortcut,
                "partial": partial_dict(r.partial),
                "elsewhere": candidate_dict(r.elsewhere, r.department),
                "pinmu": pinmu_dict(item),
                "error": r.error,
            }
            for r, item in zip(results, items, strict=True)
        ]
    }

"""Pydantic models at the boundary: requests are validated here, responses documented in OpenAPI."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from catalog import MAX_DEPARTMENT_CHARS


def _encodable(value: str | None) -> str | None:
    """Text that can be written back out: a lone surrogate (``"\\udc80"``) is refused here, not deep inside."""
    if value is not None:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise ValueError(f"含有无效的 Unicode 字符（第 {error.start + 1} 个字符是单独的代理码位）") from error
    return value


Text = Annotated[str, AfterValidator(_encodable)]
OptionalText = Annotated[str | None, AfterValidator(_encodable)]
Department = Annotated[
    str | None,
    Field(None, max_length=MAX_DEPARTMENT_CHARS, description="The buyer as people write it: 县民政局, 人社局 …"),
    AfterValidator(_encodable),
]


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine code: invalid_request, bad_file, body_too_large …")
    message: str = Field(description="What went wrong and what to do, in Chinese")


class ErrorResponse(BaseModel):
    error: ErrorDetail


class PathStep(BaseModel):
    code: str
    name: str


class Leaf(BaseModel):
    department: str = Field(description="Catalog section title, e.g. 民政")
    code: str = Field(description="Leaf code, e.g. A100301 (unique only within its department)")
    name: str
    path: list[PathStep] = Field(description="Level 1 to 4, canonical names")
    score: float = Field(ge=0, le=1, description="Calibrated probability that this leaf is right")
    evidence: list[str] = []
    elsewhere: bool = Field(False, description="A leaf of another section than the buyer's")


class Reason(BaseModel):
    rule: str = Field(description="Rule id: goods, works, …, catalog.match, catalog.other_section, …")
    basis: str = Field(description="Legal basis, e.g. 《政府购买服务管理办法》（财政部令第102号）第十条第（三）项")
    message: str


class PartialCode(BaseModel):
    department: str
    code: str = Field(description="The level-3 code that is certain")
    name: str
    score: float
    leaves: list[str]


class SetAside(BaseModel):
    kind: str = Field(description="preamble | document | buyer | excluded | count | terms | qualifier")
    text: str


class Scope(BaseModel):
    core: str = Field(description="What the line was read as buying, e.g. 农村公益电影放映服务")
    set_aside: list[SetAside] = Field(description="The rest of the line: funding notice, 文号, method, budget …")


class PinmuMatch(BaseModel):
    code: str = Field(description="政府采购品目分类目录 code, e.g. A02021003 or C21040000")
    name: str
    type: Literal["goods", "works", "services"]
    score: float = Field(ge=0, le=1, description="Calibrated probability that this 品目 is right")


class CheckRequest(BaseModel):
    text: Text = Field(min_length=1, description="One purchase line as written, e.g. 12345热线外包")
    department: Department = None
    detail: OptionalText = Field(None, description="What the line pays for (项目概况); the rules read it too")
    top_k: int = Field(5, ge=1, le=50)


class ReviewInfo(BaseModel):
    id: int
    reviewer: str
    created_at: str = Field(description="When it was decided, ISO 8601 (UTC)")
    verdict: Literal["eligible", "ineligible", "review"]
    code: str | None = Field(description="The decided guidance-catalog leaf code, e.g. A150201")
    code_department: str | None = Field(None, description="The section of that leaf")
    pinmu_code: str | None = None
    note: str | None


class CheckResponse(BaseModel):
    text: str
    department: str | None = Field(description="The buyer's catalog section, or null (none given, or none exists)")
    buyer: str | None = Field(None, description="The buyer as written in the request")
    verdict: Literal["eligible", "ineligible", "review"]
    match: Leaf | None
    candidates: list[Leaf]
    reasons: list[Reason]
    partial: PartialCode | None
    elsewhere: Leaf | None = Field(description="A better leaf in another department's section, if any")
    scope: Scope | None = None
    pinmu: PinmuMatch | None = Field(None, description="What is bought (品目), when confident")
    type: Literal["goods", "works", "services"] | None = Field(
        None, description="What is bought, for every judged line: goods (货物), works (工程) or services (服务)"
    )
    type_score: float | None = Field(None, description="The calibrated probability of that type")
    error: str | None
    review: ReviewInfo | None = Field(
        None, description="The team's standing decision on this line; then verdict and match are the reviewed ones"
    )
    model_verdict: Literal["eligible", "ineligible", "review"] | None = Field(
        None, description="The model's own verdict (differs from verdict only when a decision overrides it)"
    )
    review_warning: str | None = Field(
        None, description="Set when the review record could not be read: the verdict is then the model's alone"
    )


class ReviewRequest(BaseModel):
    text: Text = Field(min_length=1, max_length=2000, description="The purchase line as written")
    department: Department = None
    verdict: str = Field(description="eligible | ineligible | review (anything else is a 400 invalid_review)")
    code: OptionalText = Field(None, max_length=120, description="Leaf code (A150201) or section/code (民政/A100301)")
    pinmu_code: OptionalText = Field(None, max_length=20, description="政府采购品目 code, e.g. C21040000")
    note: OptionalText = Field(None, max_length=2000)


class ReviewEntry(BaseModel):
    id: int
    kind: Literal["decision", "undo"]
    text: str
    normalized: str = Field(description="The line as the model reads it; a decision covers every line that reads so")
    department: str | None = Field(description="The resolved buyer (section title, or the unit without a section)")
    department_written: str | None
    verdict: Literal["eligible", "ineligible", "review"] | None
    code: str | None = Field(description="section/code of the decided leaf")
    pinmu_code: str | None
    note: str | None
    reviewer: str
    created_at: str
    model_verdict: str | None
    model_code: str | None
    catalog_version: str | None
    model_version: str | None
    undoes: int | None


class ReviewList(BaseModel):
    data: list[ReviewEntry]
    count: int = Field(description="Entries on this page")
    total: int = Field(0, description="Entries that match the filters, on every page")
    limit: int = 100
    offset: int = 0


class QueueEntry(BaseModel):
    normalized: str
    text: str = Field(description="One line as written")
    department: str | None
    count: int = Field(description="Rows this one decision would settle")
    units: list[str]
    last_seen: str


class QueueList(BaseModel):
    data: list[QueueEntry]
    count: int


class ClassifyItem(BaseModel):
    text: Text
    department: Department = None


class ClassifyRequest(BaseModel):
    items: list[ClassifyItem] = Field(description="Up to max_items lines (10,000 by default)")
    top_k: int = Field(5, ge=1, le=50)


class ClassifyResult(BaseModel):
    text: str
    department: str | None
    candidates: list[Leaf]
    shortcut: str | None
    partial: PartialCode | None
    elsewhere: Leaf | None
    pinmu: PinmuMatch | None = Field(None, description="What is bought (品目), when confident")
    error: str | None = Field(description="Why this line could not be classified; the other lines are unaffected")


class ClassifyResponse(BaseModel):
    results: list[ClassifyResult]


class DepartmentSummary(BaseModel):
    title: str
    leaves: int


class DepartmentsResponse(BaseModel):
    source_version: str | None
    content_hash: str
    departments: list[DepartmentSummary]


class CrosswalkItem(BaseModel):
    code: str = Field(examples=["C21040000"])
    name: str
    method: str = Field(
        description="exact (same name), reviewed (a reviewer's choice) or tentative (the reviewer was unsure: 推定)"
    )
    score: float


class CatalogNode(BaseModel):
    code: str
    level: int
    name: str
    section_name: str = Field(description="How this section printed the name (differs from the canonical name)")
    parent: str | None
    implied: bool = Field(description="Not printed in the document; inferred by the parser")
    repair: str | None = Field(description="What the parser repaired in the printed code")
    printed_code: str | None = Field(description="The code as printed, when the parser repaired it")
    line: int | None
    pinmu: CrosswalkItem | None = Field(
        None, description="The 品目 C code this leaf or level-3 node is filed under (catalog/data/crosswalk_pinmu.tsv)"
    )


class DepartmentResponse(BaseModel):
    title: str
    nodes: list[CatalogNode]
    anomalies: list[dict]


class SearchHit(BaseModel):
    department: str
    code: str
    name: str
    level: int
    score: float
    note: str | None
    printed_code: str | None = Field(description="Found through this printed (repaired) code")
    path: list[PathStep]


class SearchResponse(BaseModel):
    hits: list[SearchHit]


class Preparing(BaseModel):
    step: int = Field(description="The training step under way (0 while loading)")
    steps: int
    words: str = Field(description="That step, in Chinese: 品目排序模型 …")
    message: str = Field(description="What the page shows: 正在准备模型（第 2/5 步：…）…, or why it failed")


class Health(BaseModel):
    status: str = Field(description="ok; preparing while a first use trains the model; failed when it could not")
    catalog_version: str | None = None
    catalog_hash: str | None = None
    model_format: int | None = None
    model_catalog_hash: str | None = None
    thresholds: dict | None = None
    ready: bool
    preparing: Preparing | None = Field(None, description="While the model is being prepared: the step")
    database: Literal["none", "ok", "unavailable"] = Field(
        "none", description="The review record: none (no database yet), ok, or unavailable (verdicts go on without it)"
    )
    database_message: str | None = Field(None, description="Why the review record is unavailable")

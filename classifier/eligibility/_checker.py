"""The eligibility check: may this line be bought as 政府购买服务, under which leaf, and if not, why not.

Order of decisions, each leaving a reason that cites its rule:

1. what is bought (``purchase_scope``): the object of the line, apart from its funding notice, 文号,
   method, period, budget, exclusions (不含…) and counts of cases or people;
2. the negative list (``_rules``) on that object: a hit of an ``ineligible`` rule decides; ``review``
   rules send the line to a person whatever the catalog says;
3. the catalog: a confident match in the buyer's own section is ``eligible``. Another section's leaf
   wins only when the own section has no confident match and that leaf scores higher; a match needs
   distinctive shared words (not only 服务, 机关 …) and must not contradict the leaf's scope words
   (全民 is not 为老年人). A buyer without a section of its own (县城市管理局, a school) is judged
   against every section, like a line without a department, and the reasons say so.

A wrong ``eligible`` is the costliest error, so every doubt ends in ``review``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from catalog import CatalogError, UnknownDepartmentError, suggest_departments
from classifier import (
    MAX_LINE_CHARS,
    NO_CONTENT_MESSAGE,
    Candidate,
    Classification,
    EmptyTextError,
    GpscClassifier,
    PartialCode,
    PinmuCandidate,
    PinmuClassifier,
    PinmuRanking,
    PurchaseScope,
    Reference,
    clear_token_cache,
    no_content,
    pinmu_label,
    purchase_scope,
)

from ._decision import Decision, with_decision
from ._judgements import Judgements, judge_many
from ._kinds import VerdictKind
from ._qualifiers import Qualifiers, load_qualifiers
from ._reasons import Reason
from ._rules import RuleHit, RuleSet, load_rules
from ._typing import TypeDecider, TypeReading, type_features

# services done for a construction project are services, whatever the project (财库〔2022〕31号 notes)
_CONSTRUCTION_SERVICE = re.compile(r"勘察|勘测|设计(?!施工)|监理|造价|检测|审图|图审|测绘|评估|咨询|审计|验收")
# a line that names work done on or with a thing buys a service, whatever the thing (维修, 托管, 配送 …)
_SERVICE_ACTION = re.compile(
    r"(?:维修|维护|运维|维保|保养|托管|配送|印刷|租赁|保险|检测|监测|检验|培训|咨询|评估|清洗|保洁|安保|运营|管护|养护|服务)"
    r"(?:费|项目)?$"  # the head of the phrase: 屋面防水维修*工程* is works, 电梯*维保* a service
)
_WORKS_WORD = re.compile(r"工程|建设|施工|改造|新建|改建|扩建|铺设|安装")  # 建设及运维: a bundle, not a service
_BUNDLE = re.compile(r"设计施工|安装|施工|运维|维护|维保|调试|建设及|及建设|运营|集成|EPC|epc")
_BUNDLE_SERVICE = re.compile(r"设计|运维|维护|维保|运营")  # the second part these words name is a service
BUNDLE_PART_MIN = 0.03  # a second part ranked lower than this is named by its word, not by a guess
PINMU_BASIS = "《政府采购品目分类目录》（财库〔2022〕31号）"
SERVICE_ITEM_MIN = 0.3  # a 品目 is shown only when the item itself, not just the type, is likely right
ITEM_MIN = SERVICE_ITEM_MIN  # with a type decision, for goods and works too (about 0.84 of shown items right on dev)
REGULATION = "《政府购买服务管理办法》（财政部令第102号）"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Lowest calibrated score of the best leaf that counts as a confident match (policy, fitted from data
    by ``fit_thresholds`` and saved with the checker)."""

    with_department: float = 0.5
    without_department: float = 0.7
    source: str = "default (not fitted)"
    pinmu: float = 0.8  # belief in goods or works (品目 type) that makes a line ineligible

    def for_department(self, given: bool) -> float:
        return self.with_department if given else self.without_department


@dataclass(frozen=True, slots=True)
class Buyer:
    """The buyer as written and what the catalog makes of it: its section, or none (with the closest)."""

    written: str | None
    section: str | None
    closest: tuple[str, ...] = ()
    from_text: bool = False  # read from the line itself (a notice title's buyer), not given

    @property
    def without_section(self) -> bool:
        """A buyer was named but the bundled catalog has no section for it."""
        return bool(self.written) and self.section is None


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer for one purchase line. ``match`` is the chosen leaf (only for ``eligible``).

    ``department`` is the buyer's section (None without one); ``buyer`` is the buyer as written;
    ``scope`` is what the line was read as buying.
    """

    text: str
    department: str | None
    verdict: VerdictKind
    match: Candidate | None
    candidates: tuple[Candidate, ...]
    reasons: tuple[Reason, ...]
    partial: PartialCode | None = None
    elsewhere: Candidate | None = None
    error: str | None = None
    buyer: str | None = None
    scope: PurchaseScope | None = None
    pinmu: PinmuCandidate | None = None  # the confident 品目 (what is bought), any type
    type: str | None = None  # goods | works | services: what is bought, for every judged line
    type_score: float | None = None  # the calibrated probability of that type


@dataclass(frozen=True, slots=True)
class Readings:
    """What ``Checker.read`` makes of a batch, one entry per line."""

    scopes: list[PurchaseScope]
    buyers: list[Buyer]
    classifications: list[Classification]
    rankings: list[PinmuRanking | None]
    hits: list[list[RuleHit]]


def _path_text(candidate: Candidate) -> str:
    return " > ".join(name for _, name in candidate.path)


class Checker:
    """Ranking model + rule table + thresholds.

    >>> from classifier.eligibility import get_checker
    >>> checker = get_checker()
    >>> checker.check("购置办公设备", "人社局").verdict
    'ineligible'
    >>> checker.check("法律顾问服务", "县行政审批服务管理局").match.key
    '行政审批/A040701'
    """

    def __init__(
        self,
        model: GpscClassifier,
        *,
        rules: RuleSet | None = None,
        thresholds: Thresholds | None = None,
        qualifiers: Qualifiers | None = None,
        pinmu: PinmuClassifier | None = None,
        typer: TypeDecider | None = None,
    ) -> None:
        self.model = model
        self.pinmu_model = pinmu
        self.typer = typer  # goods, works or service from both readings (None: the 品目 ranking's own type)
        self.rules = rules or load_rules()
        self.thresholds = thresholds or Thresholds()
        self.qualifiers = qualifiers or load_qualifiers()
        self._buyers: dict[str, Buyer] = {}
        self.reviewed_ids: frozenset[int] = frozenset()  # review-record decisions this checker learned from

    @property
    def catalog(self):
        return self.model.catalog_

    @property
    def reference(self) -> Reference:
        """The catalog judged against, with what fits it (its crosswalk to the 品目, its name for reasons)."""
        return Reference.for_catalog(self.catalog)

    # ------------------------------------------------------------------ entry points
    def check(self, text: str, department: str | None = None, *, top_k: int = 5, detail: str | None = None) -> Verdict:
        """One verdict; raises EmptyTextError for an empty line. An unknown buyer is judged, not refused.

        ``detail`` is what the line pays for, when known (the 项目概况 of a performance-target table):
        the negative list is also applied to it, the catalog match uses ``text`` only.
        """
        if not text or not text.strip():
            raise EmptyTextError("采购内容为空")
        (verdict,) = self.check_many([text], [department], top_k=top_k, explain=True, details=[detail])
        return verdict

    def check_many(
        self,
        texts: Sequence[str],
        departments: Sequence[str | None] | None = None,
        *,
        top_k: int = 5,
        explain: bool = False,
        details: Sequence[str | None] | None = None,
    ) -> list[Verdict]:
        """Verdicts for a batch; a bad line gets ``error`` and a ``review`` verdict, the rest go on."""
        lines = self.read(texts, departments, top_k=top_k, explain=explain, details=details)
        types = self.read_types(lines.classifications, lines.rankings, lines.scopes, lines.hits)
        return [
            self.decide(c, h, buyer=b, scope=s, pinmu=r, typed=t)
            for c, h, b, s, r, t in zip(
                lines.classifications, lines.hits, lines.buyers, lines.scopes, lines.rankings, types, strict=True
            )
        ]

    def judge_many(
        self,
        texts: Sequence[str | None],
        departments: Sequence[str | None] | None = None,
        *,
        details: Sequence[str | None] | None = None,
        top_k: int = 5,
        explain: bool = False,
    ) -> Judgements:
        """The batch entry for sheets and frames: each distinct row judged once, answers in columns
        (``Judgements``); a bad row gets its error and a ``review`` verdict, the rest go on."""
        return judge_many(self, texts, departments, details=details, top_k=top_k, explain=explain)

    def with_decision(self, verdict: Verdict, decision: Decision) -> Verdict:
        """The verdict as a team decided it (``review.decision`` first among the reasons, the model's after)."""
        return with_decision(verdict, decision, self.catalog, self.reference.pinmu)

    def forget_readings(self) -> None:
        """Forget the lines read so far (the rankings' memos and the word cuts): benchmarks start each repeat cold."""
        for model in (self.model, self.pinmu_model):
            memo = getattr(model, "__dict__", {}).get("_memo")
            if memo is not None:
                memo.clear()
        clear_token_cache()

    def rank_many(
        self, texts: Sequence[str], departments: Sequence[str | None] | None = None, *, top_k: int = 5
    ) -> list[tuple[Classification, PinmuCandidate | None]]:
        """Both rankings of each line without a verdict (``POST /v1/classify``): the catalog leaves (within the
        buyer's section when one is given) and the confident 品目."""
        classifications = self.model.classify_many(texts, departments, top_k=top_k)
        rankings = self.pinmu_model.rank_many(texts) if self.pinmu_model is not None else [None] * len(texts)
        return [(c, self.confident_pinmu(r)) for c, r in zip(classifications, rankings, strict=True)]

    def read(
        self,
        texts: Sequence[str],
        departments: Sequence[str | None] | None = None,
        *,
        top_k: int = 5,
        explain: bool = False,
        details: Sequence[str | None] | None = None,
    ) -> Readings:
        """Every reading of a batch that a decision needs: what each line buys (scope), its buyer (given, or named
        in the line), both rankings and the rule hits. ``check_many`` decides from these; fitting the type decision
        and its threshold reads lines the same way."""
        departments = list(departments) if departments is not None else [None] * len(texts)
        # an over-long line is not read at all (its classification carries the error)
        readable = [t if len(t or "") <= MAX_LINE_CHARS else "" for t in texts]
        scopes = [purchase_scope(t or "") for t in readable]
        buyers = [self.buyer(d) if d else self._named_buyer(s) for d, s in zip(departments, scopes, strict=True)]
        classifications = self.model.classify_many(texts, [b.section for b in buyers], top_k=top_k, explain=explain)
        rankings = self.pinmu_model.rank_many(readable) if self.pinmu_model is not None else [None] * len(texts)
        details = details if details is not None else [None] * len(texts)
        hits, checked = [], []
        for c, scope, detail in zip(classifications, scopes, details, strict=True):
            if len(detail or "") > MAX_LINE_CHARS:
                c = replace(c, error=f"说明文字过长（{len(detail)} 字），最多 {MAX_LINE_CHARS} 字")
                detail = None
            checked.append(c)
            hits.append(self.rule_hits(scope, detail))
        return Readings(scopes, buyers, checked, list(rankings), hits)

    def read_types(
        self,
        classifications: Sequence[Classification],
        rankings: Sequence[PinmuRanking | None],
        scopes: Sequence[PurchaseScope],
        hits: Sequence[Sequence[RuleHit]],
    ) -> list[TypeReading | None]:
        """Goods, works or service for each line, from both readings and the rule hits (one batched product)."""
        if self.typer is None or not classifications:
            return [None] * len(classifications)
        real = self.typer.real_probabilities([s.text for s in scopes])
        rows = np.vstack(
            [
                type_features(c, r, s, h, p)
                for c, r, s, h, p in zip(classifications, rankings, scopes, hits, real, strict=True)
            ]
        )
        return list(self.typer.read(rows))

    def _named_buyer(self, scope: PurchaseScope) -> Buyer:
        """The unit a line names (a notice title's head, ``县民政局委托…``) when no department is given: used as the
        buyer only when it resolves to a section, and marked so that the reasons say where it came from."""
        named = scope.named_buyer
        if not named:
            return Buyer(None, None)
        found = self.buyer(named)
        return Buyer(named, found.section, from_text=True) if found.section else Buyer(None, None)

    def buyer(self, department: str | None) -> Buyer:
        """Resolve a buyer once per name; an unknown name is a buyer without a section, not an error."""
        written = department.strip() if isinstance(department, str) else None
        if not written:
            return Buyer(None, None)
        if written not in self._buyers:
            try:
                self._buyers[written] = Buyer(written, self.catalog.section(written).title)
            except UnknownDepartmentError as error:
                self._buyers[written] = Buyer(written, None, tuple(error.suggestions))
            except CatalogError:
                self._buyers[written] = Buyer(written, None, suggest_departments(written, self.catalog.departments()))
            if len(self._buyers) > 10_000:  # a sheet of random names must not grow this without bound
                self._buyers.clear()
        return self._buyers[written]

    def rule_hits(self, scope: PurchaseScope | str, detail: str | None = None) -> list[RuleHit]:
        """Rule hits on what the line buys, then on its detail for the rules the line itself did not hit."""
        scope = purchase_scope(scope) if isinstance(scope, str) else scope
        hits = self.rules.match(scope.core)
        if detail and detail.strip():
            seen = {h.rule.id for h in hits}
            hits += [h for h in self.rules.match(purchase_scope(detail).core) if h.rule.id not in seen]
        return hits

    # ------------------------------------------------------------------ decision
    def decide(
        self,
        classification: Classification,
        hits: list[RuleHit],
        *,
        threshold: float | None = None,
        buyer: Buyer | None = None,
        scope: PurchaseScope | None = None,
        pinmu: PinmuRanking | None = None,
        pinmu_threshold: float | None = None,
        typed: TypeReading | None = None,
    ) -> Verdict:
        """Combine rule hits, the 品目 ranking, the type reading and the classification into a verdict (pure: no
        model call). ``typed`` is the one calibrated goods/works/service decision (``read_types``); without it the
        品目 ranking's own type is used."""
        c = classification
        buyer = buyer or Buyer(c.department, c.department)
        if c.text and c.text.strip() and no_content(c.text):  # a number, a code, 合计, 同上: never judged
            reason = Reason("text.no_content", "-", NO_CONTENT_MESSAGE)
            return Verdict(c.text, c.department, "review", None, (), (reason,), buyer=buyer.written)

        # a leaf elsewhere that is itself in doubt (only generic words, a scope conflict) is no evidence
        elsewhere = c.elsewhere if c.elsewhere is not None and self._doubt(c, c.elsewhere) is None else None

        def verdict(kind: VerdictKind, match: Candidate | None, reasons: tuple[Reason, ...], extra=()) -> Verdict:
            candidates = c.candidates + tuple(x for x in extra if x not in c.candidates)
            return Verdict(
                c.text,
                c.department,
                kind,
                match,
                candidates,
                reasons,
                c.partial,
                elsewhere,
                None,
                buyer.written,
                scope,
                item,
                kind_of.type if kind_of is not None else None,
                kind_of.score if kind_of is not None else None,
            )

        buyer_reasons = self._buyer_reasons(buyer)
        rule_reasons = tuple(Reason(h.rule.id, h.rule.basis, h.message) for h in hits)
        funds_only = any(h.rule.names_funds for h in hits)  # 工作经费 buys nothing the 品目 could name
        kind_of = typed if typed is not None else _ranking_type(pinmu)
        if typed is not None:
            item = None if funds_only else self.typed_pinmu(pinmu, typed, pinmu_threshold)
            pinmu_reason = self._typed_reason(item, typed, scope, pinmu, pinmu_threshold) if not funds_only else None
        else:
            item = None if funds_only else self.confident_pinmu(pinmu, pinmu_threshold)
            pinmu_reason = self._pinmu_reason(item, scope, pinmu)
        if pinmu_reason is not None and pinmu_reason.rule in ("goods", "works"):
            # the 品目 names what is bought; the hand-written goods and works words only add what it cannot see
            others = tuple(r for r in rule_reasons if r.rule not in ("goods", "works"))
            return verdict("ineligible", None, (pinmu_reason, *others, *buyer_reasons))
        ineligible_hits = [h for h in hits if h.rule.verdict == "ineligible"]
        words_only = ineligible_hits and all(h.rule.id in ("goods", "works") for h in ineligible_hits)
        # no word list decides alone: with a type decision, goods or works words stand only where it reads goods
        # or works too (it weighed those words already); without one, where the 品目 does not see a service
        sure_service = typed.type == "services" if typed is not None else item is not None and item.type == "services"
        sure_service = sure_service and not any(h.explicit for h in ineligible_hits)  # 含设备购置: it says it buys it
        if words_only and sure_service:
            # goods or works words, but the 品目 sees a service (车辆保险, 外墙清洗): a person decides
            item = item if typed is None else self.typed_pinmu(pinmu, typed, 0.0)
            conflict = self._service_conflict(item, kind_of)
            return verdict("review", None, (*rule_reasons, conflict, *buyer_reasons))
        if words_only and typed is not None and typed.type in ("goods", "works") and not funds_only:
            # the words and the type decision agree below its threshold: name what is bought, as above
            item = self.typed_pinmu(pinmu, typed, 0.0)
            named = self._typed_reason(item, typed, scope, pinmu, 0.0)
            others = tuple(r for r in rule_reasons if r.rule not in ("goods", "works"))
            return verdict("ineligible", None, (named, *others, *buyer_reasons))
        if ineligible_hits:
            return verdict("ineligible", None, rule_reasons + buyer_reasons)
        if c.error:
            reason = Reason("input", "-", f"无法判断：{c.error}")
            return Verdict(c.text, c.department, "review", None, (), (reason,), error=c.error, buyer=buyer.written)
        if threshold is None:
            threshold = self.thresholds.for_department(c.department is not None)
        kind, match, catalog_reasons, extra = self._catalog_decision(c, threshold)
        if rule_reasons:  # review-level rules: a person must look whatever the catalog says
            kind, match = "review", None
        elsewhere_fits = any(r.rule == "catalog.other_section" for r in catalog_reasons)
        if pinmu_reason is not None and pinmu_reason.rule == "pinmu.construction_service":
            catalog_reasons += (pinmu_reason,)
        elif pinmu_reason is not None and kind != "eligible" and not elsewhere_fits:
            catalog_reasons += (pinmu_reason,)  # a service that no section's leaf fits: say what the catalog lacks
        return verdict(kind, match, rule_reasons + buyer_reasons + catalog_reasons, extra)

    def _threshold(self, pinmu_threshold: float | None) -> float:
        return self.thresholds.pinmu if pinmu_threshold is None else pinmu_threshold

    def typed_pinmu(
        self, ranking: PinmuRanking | None, typed: TypeReading, threshold: float | None = None
    ) -> PinmuCandidate | None:
        """The 品目 item shown for a line whose type is decided: the best-ranked item of that type, when the type is
        confident (for a service, when the item itself is also likely)."""
        if ranking is None or typed.score < self._threshold(threshold):
            return None
        best = next((c for c in ranking.candidates if c.type == typed.type), None)
        if best is None or best.score < ITEM_MIN:
            return None
        return best

    def _typed_reason(
        self,
        item: PinmuCandidate | None,
        typed: TypeReading,
        scope: PurchaseScope | None,
        ranking: PinmuRanking | None,
        threshold: float | None = None,
    ) -> Reason | None:
        """What the type decision says: goods or works (ineligible, naming the item when one is ranked), or a
        service that the bundled catalog cannot have."""
        if typed.score < self._threshold(threshold):
            return None
        if typed.type in ("goods", "works"):
            rule = self.rules.get(typed.type)
            kind = "货物" if typed.type == "goods" else "工程"
            core = scope.core if scope is not None else ""
            named = next((c for c in (ranking.candidates if ranking else ()) if c.type == typed.type), None)
            if named is not None and named.score >= ITEM_MIN:
                what = f"品目 {pinmu_label(named)}"
            elif named is not None and named.score >= BUNDLE_PART_MIN:
                what = f"{kind}类品目（最接近的是 {pinmu_label(named)}，具体品目请核实）"
            else:
                what = f"{kind}类品目"
            bundle = _bundle_clause(named, ranking, _BUNDLE.search(core)) if named is not None else ""
            return Reason(
                typed.type,
                rule.basis,
                f"按《政府采购品目分类目录》，所购为{kind}（把握 {typed.score:.2f}）：{what}{bundle}。"
                f"{kind}应按政府采购{kind}办理，不得作为政府购买服务项目。",
            )
        if item is not None:
            return self._pinmu_reason(item, scope, ranking)
        return None

    def confident_pinmu(self, ranking: PinmuRanking | None, threshold: float | None = None) -> PinmuCandidate | None:
        """The best 品目 when the belief in its type reaches the threshold (for a service, when the item itself
        is also likely: sure it is a service but not which, the guidance leaf and its crosswalk say more)."""
        if ranking is None or ranking.best is None:
            return None
        threshold = self.thresholds.pinmu if threshold is None else threshold
        best = ranking.best
        if ranking.type != best.type or ranking.type_scores.get(best.type, 0.0) < threshold:
            return None
        return None if best.type == "services" and best.score < SERVICE_ITEM_MIN else best

    def _pinmu_reason(
        self, item: PinmuCandidate | None, scope: PurchaseScope | None, ranking: PinmuRanking | None = None
    ) -> Reason | None:
        """What the 品目 says: goods or works (ineligible), a construction-related service, or a service that the
        bundled catalog cannot have (it lists only 公共服务)."""
        if item is None:
            return None
        core = scope.core if scope is not None else ""
        basis = PINMU_BASIS
        if item.type in ("goods", "works") and _CONSTRUCTION_SERVICE.search(core):
            return Reason(
                "pinmu.construction_service",
                basis,
                f"与建设项目有关的勘察、设计、监理、造价、检测等属于服务，不按工程或货物判断（最接近的品目：{pinmu_label(item)}）。",
            )
        if item.type in ("goods", "works") and _SERVICE_ACTION.search(core) and not _WORKS_WORD.search(core):
            return None  # a service done on a thing (设备维保, 食堂托管): the rules decide
        if item.type in ("goods", "works"):
            rule = self.rules.get(item.type)
            kind = "货物" if item.type == "goods" else "工程"
            bundle = _bundle_clause(item, ranking, _BUNDLE.search(core))
            return Reason(
                item.type,
                rule.basis,
                f"按《政府采购品目分类目录》，所购为{kind}：品目 {pinmu_label(item)}（{item.score:.2f}）{bundle}。"
                f"{kind}应按政府采购{kind}办理，不得作为政府购买服务项目。",
            )
        reference = self.reference
        if reference.public_services_only:
            lacks = f"所用{reference.name}只含公共服务，不含政府履职辅助性服务，请对照本部门辅助性服务目录核实。"
        else:
            lacks = f"所用{reference.name}中没有足够把握的条目，请对照本部门目录核实。"
        return Reason("pinmu.service", basis, f"所购为服务（{item.code} {item.name}）；{lacks}")

    @staticmethod
    def _service_conflict(item: PinmuCandidate | None, typed: TypeReading | None = None) -> Reason:
        if item is not None:
            seen = f"{item.code} {item.name}，{item.score:.2f}"
        else:
            seen = f"服务的把握 {typed.score:.2f}" if typed is not None else "服务"
        return Reason(
            "pinmu.service_conflict",
            PINMU_BASIS,
            f"文字中有货物或工程的字样，但按《政府采购品目分类目录》所购更像服务（{seen}）："
            "请核实所购是服务，还是货物、工程。",
        )

    def _buyer_reasons(self, buyer: Buyer) -> tuple[Reason, ...]:
        if buyer.from_text:
            return (
                Reason(
                    "department.from_text",
                    self._basis(buyer.section),
                    f"未填购买单位；按文字中的“{buyer.written}”（{buyer.section}部门目录）判断，如不是该单位请填写部门。",
                ),
            )
        if not buyer.without_section:
            return ()
        closest = f"最接近的部门章节：{'、'.join(buyer.closest)}；" if buyer.closest else ""
        return (
            Reason(
                "department.no_section",
                self._basis(None),
                f"购买主体“{buyer.written}”在所附目录中没有本部门的章节，{closest}"
                "以下按全部部门的目录判断，负面清单照常适用；请对照本单位适用的指导性目录核实。",
            ),
        )

    def _catalog_decision(
        self, c: Classification, threshold: float
    ) -> tuple[VerdictKind, Candidate | None, tuple[Reason, ...], tuple[Candidate, ...]]:
        best = c.best
        if best is None:
            return (
                "review",
                None,
                (Reason("catalog.no_match", self._basis(c.department), "目录中没有可比对的条目。"),),
                (),
            )
        basis = self._basis(best.department)
        doubt = self._doubt(c, best)
        if best.score >= threshold and doubt is None:
            return "eligible", best, self._match_reasons(c, best, basis), ()
        other = c.elsewhere
        if c.department is not None and other is not None and other.score > best.score and not self._doubt(c, other):
            message = (
                f"本部门（{c.department}）目录中没有足够把握的匹配"
                f"（最接近 {best.code} {best.name}，{best.score:.2f}）；"
                f"其他部门目录的 {other.department}/{other.code} {_path_text(other)} 更符合（{other.score:.2f}）。"
                "购买主体应在本部门目录范围内购买服务，请核实。"
            )
            return "review", None, (Reason("catalog.other_section", basis, message),), (other,)
        where = f"本部门（{c.department}）目录" if c.department else "目录"
        if doubt is not None:
            reasons = [doubt]
        elif other is not None and other.score > best.score:  # a better leaf elsewhere, but in doubt itself
            reasons = [
                Reason(
                    "catalog.no_match",
                    basis,
                    f"{where}中没有足够把握的匹配：最接近 {best.department}/{best.code} {best.name}"
                    f"（{best.score:.2f}，低于 {threshold:.2f}）。",
                ),
                *filter(None, [self._doubt(c, other)]),
            ]
        else:
            reasons = [
                Reason(
                    "catalog.no_match",
                    basis,
                    f"{where}中没有足够把握的匹配：最接近 {best.department}/{best.code} {best.name}"
                    f"（{best.score:.2f}，低于 {threshold:.2f}），可能不在指导性目录内，请人工核实。",
                )
            ]
        if c.partial is not None and c.partial.score >= threshold:
            reasons.append(
                Reason(
                    "catalog.partial",
                    basis,
                    f"三级目录 {c.partial.code} {c.partial.name} 大致可以确定（{c.partial.score:.2f}），"
                    f"但四级条目不确定（候选：{'、'.join(c.partial.leaves)}）。",
                )
            )
        return "review", None, tuple(reasons), ()

    def _doubt(self, c: Classification, candidate: Candidate) -> Reason | None:
        """Why a high score is still no confident match: only generic shared words, or a scope conflict."""
        basis = self._basis(candidate.department)
        conflict = self.qualifiers.conflict(c.normalized, candidate.name)
        if conflict is not None:
            return Reason(
                "catalog.scope_conflict",
                basis,
                f"最接近的条目 {candidate.department}/{candidate.code} {candidate.name}（{candidate.score:.2f}）"
                f"限定于{conflict.leaf_group}，而本行写的是“{'、'.join(conflict.line_words)}”，"
                f"{conflict.dimension}不符，不能认定属于该条目，请人工核实。",
            )
        if candidate.shared is not None and not candidate.shared:
            return Reason(
                "catalog.weak_evidence",
                basis,
                f"最接近的条目 {candidate.department}/{candidate.code} {candidate.name}（{candidate.score:.2f}）"
                "与本行只有“服务”“管理”之类的泛泛词语相同，没有说明购买内容的共同词，不能认定，请人工核实。",
            )
        return None

    def _match_reasons(self, c: Classification, best: Candidate, basis: str) -> tuple[Reason, ...]:
        filed = self.reference.crosswalk.get((best.department, best.code))
        filed = filed if filed is not None and filed.shown_as_fact else None  # a tentative code is no fact
        filed_as = f"采购计划中按品目 {filed.pinmu_code} {filed.pinmu_name} 编报。" if filed else ""
        reasons = [
            Reason(
                "catalog.match",
                basis,
                f"属于{best.department}部门目录 {best.code}：{_path_text(best)}（匹配度 {best.score:.2f}）。{filed_as}",
            )
        ]
        if c.partial is not None:
            reasons.append(
                Reason(
                    "catalog.partial",
                    basis,
                    f"三级目录 {c.partial.code} {c.partial.name} 可以确定，四级条目不确定"
                    f"（候选：{'、'.join(c.partial.leaves)}），请确认具体条目。",
                )
            )
        if c.department is None:
            reasons.append(
                Reason(
                    "catalog.no_department",
                    basis,
                    f"未确定购买主体的部门目录：请确认购买部门的目录中包含{best.department}目录的该条目。",
                )
            )
        return tuple(reasons)

    def _basis(self, department: str | None) -> str:
        return f"{self.reference.name}{f'{department}部门目录' if department else ''}"


def _ranking_type(ranking: PinmuRanking | None) -> TypeReading | None:
    """The 品目 ranking's own type belief, for a checker without a type decision."""
    if ranking is None or ranking.type is None:
        return None
    return TypeReading(ranking.type, ranking.type_scores[ranking.type], dict(ranking.type_scores))


def _bundle_clause(item: PinmuCandidate, ranking: PinmuRanking | None, found: re.Match | None) -> str:
    """Name the second part of a bundle (采购及安装, 设计施工一体化, 建设及运维): the best-ranked 品目 of the
    type its word calls for, else the word itself.

    >>> goods = PinmuCandidate("A02061804", "空调机", "goods", 0.4)
    >>> works = PinmuCandidate("B06060000", "通风和空调设备安装", "works", 0.38)
    >>> _bundle_clause(goods, PinmuRanking((goods, works), {"goods": 0.98}), _BUNDLE.search("空调采购及安装"))
    '；与B06060000 通风和空调设备安装（工程）打包购买，仍按第十条第（三）项不得作为政府购买服务'
    """
    if found is None:
        return ""
    word = found.group(0)
    wanted = "services" if _BUNDLE_SERVICE.search(word) else ("works" if item.type == "goods" else "services")
    candidates = ranking.candidates if ranking is not None else ()
    part = next((c for c in candidates if c.type == wanted and c.score >= BUNDLE_PART_MIN), None)
    named = pinmu_label(part) if part is not None else f"“{word}”{'服务' if wanted == 'services' else '工程'}"
    return f"；与{named}打包购买，仍按第十条第（三）项不得作为政府购买服务"

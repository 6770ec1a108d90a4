"""Goods, works or service: one calibrated decision from both readings of a line.

The 品目 ranking reads what is named (its items and its type model), the guidance ranking reads which service of a
services catalog the line is, and the rule table knows the words that mark goods (购置, 设备), works (工程, 施工),
services done on things (维保, 年检, 保险, 租赁) and services done for a construction project (设计, 监理, 造价,
环评). Each alone is wrong in its own way: a weak 品目 (安全审计设备 at 0.3) must not outvote a confident guidance
leaf (网络安全等级保护测评服务 at 0.97), and no word list may decide alone. ``TypeDecider`` is a multinomial logistic
regression over all of them, fitted on lines that none of the rankers learned from (half of the real notice
titles' training part and the written dev sets), so its probability is calibrated on real wording.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from classifier import Classification, PinmuRanking, PurchaseScope, RealTypeModel

from ._rules import RuleHit

TYPES = ("goods", "works", "services")
# services done for a construction project, and work done on or with a thing (the head of the phrase)
CONSTRUCTION_SERVICE = re.compile(
    r"勘察|勘测|设计(?!施工)|监理|造价|检测|审图|图审|测绘|评估|咨询|审计|验收|环评|环境影响|水土保持|可行性研究|可研"
)
SERVICE_ACTION = re.compile(
    r"(?:维修|维护|运维|维保|保养|托管|配送|印刷|租赁|租用|保险|检测|监测|检验|年检|试验|培训|咨询|评估|清洗|保洁|安保"
    r"|运营|管护|养护|服务|测评|编制|制作|清理|清运|代理|审计|鉴定|派驻|外包|热线|年租费?|租金)"
    r"(?:费|项目|工作)?$"
)
# the head of the object: what is left once the trailing 采购项目 / 服务项目 / 工作 words are read off
_TRAILING = re.compile(
    r"(?:采购|项目|招标|服务|工作|购买|购置|费用|费|及|的|类|机构|单位|供应商|入围|遴选|选取|（[^（）]*）|\([^()]*\))+$"
)
HEAD_SERVICE = re.compile(
    r"(?:维修|维护|运维|维保|保养|托管|配送|印刷|租赁|租用|保险|险|检测|监测|检验|年检|试验|培训|咨询|评估|清洗|保洁|安保"
    r"|运营|管护|养护|测评|编制|制作|清理|清运|代理|审计|鉴定|派驻|外包|热线|租金|监理|设计|勘察|勘测|测绘|规划|造价|审图"
    r"|研究|调查|普查|宣传|推广|策划|演出|展览|会议|活动|评审|核查|认证|标引|数字化|开发|升级|运行|驻场|接入|租|套餐|策划|方案)$"
)
HEAD_WORKS = re.compile(
    r"(?:工程|施工|改造|建设|新建|改建|扩建|修缮|装修|安装|整治|提升|铺设|加固|修复|绿化|亮化|硬化|拆除)$"
)
HEAD_GOODS = re.compile(
    r"(?:设备|器材|物资|用品|材料|耗材|仪|仪器|机|车|车辆|家具|服装|被服|药品|试剂|图书|书籍|软件|系统|平台|终端|电脑|计算机"
    r"|空调|桌椅|床|柜|屏|灯|器|具|品|料|苗木|种子|食品|食材|大米|燃料|油)$"
)


def object_head(core: str) -> str:
    """The object without its trailing 采购项目 / 服务项目 words: ``人身意外伤害险采购项目`` -> ``人身意外伤害险``.

    >>> object_head("消防车辆器材采购项目"), object_head("工程建设项目审计服务机构")
    ('消防车辆器材', '工程建设项目审计')
    """
    head = _TRAILING.sub("", core.strip()) or core.strip()
    return head


WORKS_WORD = re.compile(r"工程|建设|施工|改造|新建|改建|扩建|铺设|安装|修缮|装修")
GOODS_WORD = re.compile(r"采购|购置|购买|设备|器材|物资|用品|材料|仪器|车辆|家具|软件|系统")
_SERVICE_END = re.compile(r"服务(?:项目|采购项目|采购|类项目)?$")
# goods or works joined with the service on them (建设及运维, 采购及安装, 设计施工一体化): a bundle, bought as the thing
BUNDLE = re.compile(
    r"(?:工程|建设|施工|改造|采购|购置|设备|系统)(?:及|和|与|并|暨|\+|、|含)[^，,；;]{0,10}?"
    r"(?:运维|运行维护|运营|维护|维保|安装|调试|集成|服务)|设计施工|施工总承包|EPC|epc"
)
FEATURES = (
    "真实标题·货物",
    "真实标题·工程",
    "真实标题·服务",
    "品目·货物",
    "品目·工程",
    "品目·服务",
    "目录最高分",
    "目录领先幅度",
    "目录有共同词",
    "规则·货物",
    "规则·工程",
    "服务动作结尾",
    "建设相关服务",
    "工程字样",
    "货物字样",
    "中心词·服务",
    "中心词·工程",
    "中心词·货物",
    "以服务结尾",
    "货物或工程连同服务打包",
)


def type_features(
    classification: Classification | None,
    ranking: PinmuRanking | None,
    scope: PurchaseScope | None,
    hits: Sequence[RuleHit],
    real: Sequence[float] = (1 / 3, 1 / 3, 1 / 3),
) -> np.ndarray:
    """One row of ``FEATURES`` for a line (pure: the readings are computed by the caller, once); ``real`` is the
    real-title type model's belief (goods, works, services)."""
    ts = ranking.type_scores if ranking is not None else {}
    candidates = classification.candidates if classification is not None else ()
    s1 = candidates[0].score if candidates else 0.0
    s2 = candidates[1].score if len(candidates) > 1 else 0.0
    shared = bool(candidates and candidates[0].shared)
    core = scope.core if scope is not None else ""
    ids = {h.rule.id for h in hits}
    head = object_head(re.sub(r"[（(]([^（()）]{1,8})[)）]$", r"\1", core))  # 工程（监理） reads 工程监理
    return np.array(
        [
            *real,
            ts.get("goods", 1 / 3),
            ts.get("works", 1 / 3),
            ts.get("services", 1 / 3),
            s1,
            s1 - s2,
            s1 * shared,
            "goods" in ids,
            "works" in ids,
            bool(SERVICE_ACTION.search(core)),
            bool(CONSTRUCTION_SERVICE.search(core)),
            bool(WORKS_WORD.search(core)),
            bool(GOODS_WORD.search(core)),
            bool(HEAD_SERVICE.search(head)),
            bool(HEAD_WORKS.search(head)),
            bool(HEAD_GOODS.search(head)),
            bool(_SERVICE_END.search(core)),
            bool(BUNDLE.search(core)),
        ],
        dtype=np.float64,
    )


@dataclass(frozen=True, slots=True)
class TypeReading:
    """The decided type of a line and its probability: ``TypeReading('services', 0.94, {...})``."""

    type: str
    score: float
    scores: dict[str, float]


class TypeDecider:
    """Multinomial logistic regression over ``type_features``; ``source`` says what it was fitted on. It keeps
    the real-title type model it reads (``real_model``)."""

    def __init__(self, C: float = 1.0, real_model: RealTypeModel | None = None) -> None:
        self.C = C
        self.real_model = real_model
        self.source = "not fitted"

    def real_probabilities(self, texts: Sequence[str]) -> np.ndarray:
        if self.real_model is None:
            return np.full((len(texts), len(TYPES)), 1 / len(TYPES))
        return self.real_model.probabilities(texts)

    def fit(self, rows: np.ndarray, labels: Sequence[str], source: str = "") -> TypeDecider:
        from sklearn.linear_model import LogisticRegression

        lr = LogisticRegression(C=self.C, max_iter=2000, class_weight="balanced").fit(rows, list(labels))
        order = [list(lr.classes_).index(t) for t in TYPES]
        self.coef_ = lr.coef_[order].T.copy()
        self.bias_ = lr.intercept_[order].copy()
        self.source = source
        return self

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        z = np.atleast_2d(rows) @ self.coef_ + self.bias_
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)

    def read(self, rows: np.ndarray) -> list[TypeReading]:
        out = []
        for p in self.probabilities(rows):
            k = int(p.argmax())
            out.append(
                TypeReading(
                    TYPES[k], round(float(p[k]), 4), {t: round(float(v), 4) for t, v in zip(TYPES, p, strict=True)}
                )
            )
        return out


def labelled_type(verdict: str, rule: str | None, pinmu: str | None = None) -> str | None:
    """The type a labelled line implies: its 品目 code's letter, a goods or works rule, or a service (an eligible
    line, or one sent to review for a catalog reason). Other ineligible lines (own staff, subsidies) have none.

    >>> labelled_type("ineligible", "works"), labelled_type("eligible", None), labelled_type("ineligible", "subsidy")
    ('works', 'services', None)
    """
    if pinmu:
        return {"A": "goods", "B": "works", "C": "services"}.get(pinmu.strip()[:1].upper())
    if verdict == "ineligible":
        return rule if rule in ("goods", "works") else None
    if verdict == "eligible" or rule in ("out_of_catalog", "other_section", None, ""):
        return "services"
    return None


def fit_type_decider(
    checker,
    examples: Sequence[tuple[str, str | None, str]],
    titles: Sequence[tuple[str, str, int]] = (),
    source: str = "",
    fold_rankers: Sequence | None = None,
) -> TypeDecider:
    """Fit the type decision on lines that the checker's rankers never learned from: ``examples`` are written
    ``(text, department, type)`` lines, ``titles`` real ``(text, type, fold)`` titles (fold 0 or 1). The real-title
    model is cross-fitted: each title's feature comes from the model fitted on the other fold, the written lines'
    from the fold-0 model; the model kept for serving is fitted on all titles. When the checker's 品目 ranking learned
    from the titles too, ``fold_rankers[f]`` is one that learned from the other fold only, and ranks fold ``f``'s
    titles. Each line is read exactly as ``Checker.check_many`` reads it (scope, buyer, both rankings, rule hits)."""
    texts = [t for t, _, _ in titles] + [t for t, _, _ in examples]
    departments = [None] * len(titles) + [d for _, d, _ in examples]
    labels = [k for _, k, _ in titles] + [k for _, _, k in examples]
    real = np.full((len(texts), len(TYPES)), 1 / len(TYPES))
    if titles:
        folds = np.array([f for _, _, f in titles])
        for fold in (0, 1):
            fitted = RealTypeModel().fit([t for t, _, f in titles if f != fold], [k for _, k, f in titles if f != fold])
            own = np.flatnonzero(folds == fold)
            real[own] = fitted.probabilities([titles[i][0] for i in own])
            if fold == 0 and examples:
                real[len(titles) :] = fitted.probabilities([t for t, _, _ in examples])
    lines = checker.read(texts, departments)
    rankings = lines.rankings
    for fold, ranker in enumerate(fold_rankers or ()):  # a title is ranked by the 品目 model that did not learn it
        own = [i for i, (_, _, f) in enumerate(titles) if f == fold]
        for i, ranking in zip(own, ranker.rank_many([texts[i] for i in own]), strict=True):
            rankings[i] = ranking
    hits = lines.hits
    rows = np.vstack(
        [type_features(*x) for x in zip(lines.classifications, rankings, lines.scopes, hits, real, strict=True)]
    )
    serving = RealTypeModel().fit([t for t, _, _ in titles], [k for _, k, _ in titles]) if titles else None
    decider = TypeDecider(real_model=serving).fit(rows, labels, source)
    words, counted = word_flags(hits)
    decider.threshold_ = goods_threshold(decider.probabilities(rows), np.array(labels), words, counted)
    return decider


def word_flags(hits: Sequence[Sequence[RuleHit]]) -> tuple[np.ndarray, np.ndarray]:
    """Per line: whether a goods or works word hit, and whether the line counts for the threshold (no other
    negative rule decides it)."""
    words = np.array([any(h.rule.id in ("goods", "works") for h in line) for line in hits], dtype=bool)
    others = np.array(
        [any(h.rule.verdict == "ineligible" and h.rule.id not in ("goods", "works") for h in line) for line in hits],
        dtype=bool,
    )
    return words, ~others


SERVICE_AS_GOODS_COST = 3.0  # as FALSE_INELIGIBLE_COST: a service judged goods or works costs 3 missed goods


def goods_threshold(probs: np.ndarray, labels: np.ndarray, words: np.ndarray, counted: np.ndarray) -> float:
    """The probability of goods or works that makes a line ineligible, minimising ``missed goods/works rate +
    3 × services-judged-goods-or-works rate`` (a goods or works word stands wherever the decision reads goods or
    works, whatever its probability). Rows are the decision's cross-fitted ones, so the choice is not flattered by
    lines a model learned from; real titles (noisy, real wording) and written budget and 政府采购 lines (clean, the
    sheets' wording) count alike, but not lines another negative rule decides. Ties go to the higher, safer
    threshold."""
    kind = probs.argmax(axis=1)
    goods_like = kind < 2  # TYPES order: goods, works, services
    top = probs.max(axis=1)
    services = (labels == "services") & counted
    goods = (labels != "services") & counted
    costs = []
    for t in THRESHOLD_GRID:
        judged = goods_like & ((top >= t) | words)
        missed = (~judged[goods]).sum() / max(goods.sum(), 1)
        costs.append(missed + SERVICE_AS_GOODS_COST * judged[services].sum() / max(services.sum(), 1))
    costs = np.array(costs)
    return float(THRESHOLD_GRID[np.flatnonzero(costs == costs.min()).max()])


THRESHOLD_GRID = np.round(np.arange(0.34, 0.991, 0.01), 2)

"""The negative list of 《政府购买服务管理办法》第十条 as a reviewed rule table (``eligibility_rules.toml``).

Rules are data: patterns, masks (service phrases removed before matching) and examples live in the
table, and this module only compiles and applies them. A hit names the words that triggered it so an
officer can see why.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from ._errors import RuleTableError

_SPACE = re.compile(r"\s+")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{0,8}[〔【\[(（]\d{4}[〕】\])）]\d+号")
_NOISE_BARE = r"(?:第[一二三四五六七八九十\d]+批|[上下]半年|\d{4}年?度?|[\d.]+万?元)"
_NOISE = rf"(?:{_NOISE_BARE}|[\u4e00-\u9fff]{{1,4}}[县镇乡]|[^()（）]*?\d+号|\d+个[\u4e00-\u9fff]{{1,3}})"
# batch, year, amount, place or document notes at the end of a line: (第二批), 下半年, （30万元）, （金家庄镇、庄上镇）
_TRAILER = re.compile(rf"(?:[(（](?:{_NOISE}[、,，]?)+[)）]|{_NOISE_BARE})$")
_PLACE_AFTER_SPACE = re.compile(r"\s+[\u4e00-\u9fff]{2,4}[县镇乡区市]\s*$")


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of the rule table, e.g. ``goods``: 第十条第（三）项."""

    id: str
    verdict: str
    clause: str
    basis: str
    message: str
    patterns: tuple[re.Pattern[str], ...]
    always: tuple[re.Pattern[str], ...]
    masks: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]
    examples: tuple[str, ...]
    near_misses: tuple[str, ...]
    names_funds: bool = False  # the words name money (经费), not a thing bought: the 品目 cannot say what it buys

    def find(self, text: str) -> str | None:
        """The words of ``text`` that hit this rule, or None."""
        hit = self.find_hit(text)
        return hit[0] if hit is not None else None

    def find_hit(self, text: str) -> tuple[str, bool] | None:
        """``(words, explicit)``: the words that hit, and whether an ``always`` pattern found them (a purchase verb
        next to the thing: 购置设备, 系统采购及安装), which no reading of the line can outweigh."""
        for pattern in self.always:
            if match := pattern.search(text):
                return match.group(), True
        found = self._find_masked(text)
        return (found, False) if found is not None else None

    def _find_masked(self, text: str) -> str | None:
        if any(pattern.search(text) for pattern in self.unless):
            return None
        masked = text
        for mask in self.masks:
            masked = mask.sub(lambda m: "　" * len(m.group()), masked)  # keep positions, break words
        for pattern in self.patterns:
            if match := pattern.search(masked):
                return match.group()
        return None


@dataclass(frozen=True, slots=True)
class RuleHit:
    rule: Rule
    match: str
    explicit: bool = False  # an ``always`` pattern: the line says it buys the thing (购置, 采购及安装)

    @property
    def message(self) -> str:
        return self.rule.message.format(match=self.match)


@dataclass(frozen=True, slots=True)
class RuleSet:
    rules: tuple[Rule, ...]
    # any pattern of any rule: most lines match none, and then no rule needs a closer look
    trigger: re.Pattern[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        patterns = [p.pattern for rule in self.rules for p in (*rule.always, *rule.patterns)]
        object.__setattr__(self, "trigger", re.compile("|".join(f"(?:{p})" for p in patterns) or "(?!)", re.I))

    def match(self, text: str) -> list[RuleHit]:
        """Every rule the purchase line hits: ``match("购置办公设备")`` -> ``[RuleHit(goods, '购置办公设备')]``."""
        prepared = rule_text(text)
        if not self.trigger.search(prepared):
            return []
        hits = []
        for rule in self.rules:
            found = rule.find_hit(prepared)
            if found is not None:
                hits.append(RuleHit(rule, *found))
        return hits

    def get(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def rule_text(text: str) -> str:
    """The form rules are matched in: NFKC, no spaces, no document numbers (柳审批发〔2025〕14号 is no 审批),
    and no trailing batch, year or amount note (服务（第二批） still ends in 服务)."""
    text = _PLACE_AFTER_SPACE.sub("", unicodedata.normalize("NFKC", text))
    text = _DOC_NUMBER.sub("", _SPACE.sub("", text))
    return _TRAILER.sub("", _TRAILER.sub("", text))


def parse_rules(toml_text: str) -> RuleSet:
    """Compile a rule table; a bad table fails loudly at load time, never silently at match time."""
    try:
        data = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as error:
        raise RuleTableError(f"规则表不是有效的 TOML：{error}") from error
    vocabulary = {k: re.sub(r"\s+", "", v) for k, v in data.get("vocabulary", {}).items()}

    def compile_all(patterns: list[str], rule_id: str) -> tuple[re.Pattern[str], ...]:
        out = []
        for pattern in patterns:
            for name, words in vocabulary.items():
                pattern = pattern.replace("{" + name + "}", words)
            try:
                out.append(re.compile(pattern, re.IGNORECASE))
            except re.error as error:
                raise RuleTableError(f"规则 {rule_id}：模式 {pattern[:60]!r} 有误：{error}") from error
        return tuple(out)

    rules = []
    for row in data["rule"]:
        if row["verdict"] not in ("ineligible", "review"):
            raise RuleTableError(f"规则 {row['id']}：verdict 只能是 ineligible 或 review")
        rules.append(
            Rule(
                id=row["id"],
                verdict=row["verdict"],
                clause=row["clause"],
                basis=row["basis"],
                message=row["message"],
                patterns=compile_all(row.get("patterns", []), row["id"]),
                always=compile_all(row.get("always", []), row["id"]),
                masks=compile_all(row.get("masks", []), row["id"]),
                unless=compile_all(row.get("unless", []), row["id"]),
                examples=tuple(row.get("examples", [])),
                near_misses=tuple(row.get("near_misses", [])),
                names_funds=bool(row.get("names_funds", False)),
            )
        )
    return RuleSet(tuple(rules))


@cache
def load_rules() -> RuleSet:
    """The bundled rule table, compiled once."""
    return parse_rules(rules_source())


def rules_source() -> str:
    """The bundled rule table's text (its hash is part of a saved checker's provenance)."""
    return files("classifier.eligibility").joinpath("eligibility_rules.toml").read_text(encoding="utf-8")

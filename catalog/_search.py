"""Find catalog nodes by code (as users type it) or by words."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ._model import Catalog, Node, Section
from ._text import clean_name, looks_like_code, normalize_code, squeeze_code


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result; ``note`` says when the hit was found through a repaired printed code."""

    node: Node
    score: float
    matched: str
    note: str | None = None


def search_catalog(catalog: Catalog, query: str, department: str | None = None, limit: int = 20) -> list[SearchHit]:
    """Nodes matching a code or words, best first: ``search_catalog(cat, "A040102", "自然资源")``."""
    sections = (catalog.section(department),) if department else catalog.sections
    text = query.strip()
    if not text:
        return []
    if normalize_code(text) or looks_like_code(text):
        hits = _by_code(sections, text)
        if hits:
            return hits[:limit]
    return _by_words(sections, text, limit)


def _by_code(sections: tuple[Section, ...], text: str) -> list[SearchHit]:
    hits = []
    for section in sections:
        node = section.node(text)
        if node is None:
            continue
        note = node.repair if node.code != (normalize_code(text) or squeeze_code(text)) else None
        hits.append(SearchHit(node, 100.0, node.code, note))
    return hits


def _by_words(sections: tuple[Section, ...], text: str, limit: int) -> list[SearchHit]:
    wanted = clean_name(text)
    nodes = [n for s in sections for n in s.nodes if n.level >= 3]
    exact = [SearchHit(n, 100.0, n.section_name) for n in nodes if wanted in n.section_name or wanted in n.name]
    if len(exact) >= limit:
        return exact[:limit]
    seen = {id(h.node) for h in exact}
    rest = [n for n in nodes if id(n) not in seen]
    fuzzy = process.extract(
        wanted, [n.section_name for n in rest], scorer=fuzz.partial_ratio, limit=limit - len(exact), score_cutoff=60
    )
    return exact + [SearchHit(rest[i], float(score), rest[i].section_name) for _, score, i in fuzzy]

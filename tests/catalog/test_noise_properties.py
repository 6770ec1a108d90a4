"""Property tests: the PDF noise the real document shows, injected at random into a clean rendering of
the tree, never changes the tree the parser recovers."""

from __future__ import annotations

import random
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog import parse_catalog

HEADER = "代码\t一级目录\t二级目录\t三级目录\t四级目录"
_ASCII = re.compile(r"[0-9A-Za-z]")


def _rows(sections):
    """A clean table as cell lists: section titles and every node with its section's reading."""
    rows = []
    for section in sections:
        rows.append([section.title, "", "", "", ""])
        for _, node in section.walk():
            cells = ["", "", "", ""]
            cells[node.level - 1] = node.section_name
            rows.append([node.code, *cells])
    return rows


def _render(rows, headers=()):
    lines = ["## 山西省部门政府购买服务指导性目录", "", HEADER]
    for index, cells in enumerate(rows):
        lines.extend(headers.get(index, ()) if headers else ())
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def _shape(catalog):
    return [
        (s.title, [(n.code, n.level, n.name, n.section_name, n.parent, n.children) for n in s.nodes])
        for s in catalog.sections
    ]


def _split_spaces(rng, text):
    """Insert stray spaces where the parser must remove them (not between two ASCII letters/digits)."""
    positions = [i for i in range(1, len(text)) if not (_ASCII.match(text[i - 1]) and _ASCII.match(text[i]))]
    cut = set(rng.sample(positions, min(len(positions), rng.randint(1, 3))))
    return "".join(" " + ch if i in cut else ch for i, ch in enumerate(text))


NOISE_LINES = [[""], ["", HEADER], [HEADER], ["", "代码\t一级目录\t二级目录\t二级目录\t四级目录"], ["", "— 12 —", ""]]


def noisy_document(sections, seed):
    """The clean table with the real document's kinds of noise put in at random (but reproducible) places."""
    rng = random.Random(seed)
    rows = [list(r) for r in _rows(sections)]
    for cells in rows:
        if not any(cells[1:]):  # a section title
            if rng.random() < 0.5:
                cells[0] = f"<b>{cells[0]}</b>"
            continue
        level = next(i for i, c in enumerate(cells[1:], 1) if c)
        name = cells[level]
        if rng.random() < 0.25:
            name = _split_spaces(rng, name)
        if rng.random() < 0.2:
            name = name.replace("（", "(").replace("）", ")")
        if rng.random() < 0.1:
            name = f"<b>{name}</b>"
        cells[level] = name
        if level == 4 and rng.random() < 0.15:
            cells[0] = f"{cells[0][:3]} {cells[0][3:]}"
    headers = {rng.randrange(len(rows)): rng.choice(NOISE_LINES) for _ in range(rng.randint(0, 8))}
    return _render(rows, headers)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    picked=st.lists(st.integers(0, 55), min_size=1, max_size=6, unique=True),
    seed=st.integers(0, 2**32 - 1),
)
def test_noise_does_not_change_the_tree(catalog, picked, seed):
    sections = [catalog.sections[i] for i in sorted(picked)]
    clean = parse_catalog(_render(_rows(sections)))
    noisy = parse_catalog(noisy_document(sections, seed))
    assert _shape(noisy) == _shape(clean)
    assert not noisy.anomalies_of("unplaced_line")


def test_clean_rendering_of_the_whole_catalog_gives_the_same_tree(catalog):
    again = parse_catalog(_render(_rows(catalog.sections)))
    assert _shape(again) == _shape(catalog)
    assert again.content_hash == catalog.content_hash
    # a clean table needs no repairs: only name readings that differ between sections remain
    assert {a.kind for a in again.anomalies} == {"name_variant"}

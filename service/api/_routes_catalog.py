"""``GET /v1/catalog/...``: departments, one section's tree, search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from catalog import ANOMALY_KIND_NAMES, Catalog, CrosswalkRow, search_catalog
from classifier import Reference
from service.shapes import search_hit_dict

from ._deps import get_catalog
from ._errors import error_responses
from ._models import DepartmentResponse, DepartmentsResponse, SearchResponse

router = APIRouter(prefix="/v1/catalog", tags=["catalog"])
CatalogDep = Annotated[Catalog, Depends(get_catalog)]


@router.get("/departments", response_model=DepartmentsResponse, summary="The catalog's department sections")
def departments(catalog: CatalogDep) -> dict:
    return {
        "source_version": catalog.source_version,
        "content_hash": catalog.content_hash,
        "departments": [{"title": s.title, "leaves": len(s.leaves())} for s in catalog.sections],
    }


@router.get(
    "/departments/{name}",
    responses=error_responses(404, 422),
    response_model=DepartmentResponse,
    summary="One section's code tree",
)
def department(name: str, catalog: CatalogDep) -> dict:
    """``name`` may be an everyday name (人社局, 团县委); an unknown name is a 404 naming the closest sections."""
    section = catalog.section(name)
    crosswalk = Reference.for_catalog(catalog).crosswalk
    return {
        "title": section.title,
        "nodes": [
            {
                "code": n.code,
                "level": n.level,
                "name": n.name,
                "section_name": n.section_name,
                "parent": n.parent,
                "implied": n.implied,
                "repair": n.repair,
                "printed_code": n.printed_code if n.repair else None,
                "line": n.line,
                "pinmu": _crosswalk_item(crosswalk.get((section.title, n.code))),
            }
            for _, n in section.walk()
        ],
        "anomalies": [
            {
                "kind": a.kind,
                "kind_name": ANOMALY_KIND_NAMES.get(a.kind, a.kind),
                "line": a.line,
                "printed": a.printed,
                "decided": a.decided,
            }
            for a in catalog.anomalies
            if a.department == section.title and a.kind not in ("repeated_header", "markup")
        ],
    }


def _crosswalk_item(row: CrosswalkRow | None) -> dict | None:
    if row is None:
        return None
    return {"code": row.pinmu_code, "name": row.pinmu_name, "method": row.method, "score": row.score}


@router.get(
    "/search",
    responses=error_responses(404, 422),
    response_model=SearchResponse,
    summary="Find leaves by code or words",
)
def search(
    catalog: CatalogDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="A code (A150201, 150201) or words")],
    department: Annotated[str | None, Query(description="Only this section (everyday names work)")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> dict:
    hits = search_catalog(catalog, q, department, limit)
    return {"hits": [search_hit_dict(h, catalog) for h in hits]}

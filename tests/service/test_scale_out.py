"""The columnar call under Dask's distributed scheduler gives what one process gives, row for row."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from service import TAG_COLUMNS, tag_frame  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def frame():
    with (ROOT / "examples" / "procurement_list_2022.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))[1:]  # a title row above the header, as offices write it
    units = ["县民政局", "", "县行政审批服务管理局", "县教育局"]
    at = rows[0].index("项目名称")
    # repeated rows, and cells that are no purchase
    texts = [row[at] for row in rows[1:] if row[at]] * 3 + ["", "合计", "同上"]
    return pd.DataFrame({"项目名称": texts, "单位": [units[i % 4] for i in range(len(texts))]})


def test_a_local_cluster_of_two_processes_tags_as_one_process(checker, frame):
    expected = tag_frame(frame, checker=checker)
    assert list(expected.columns[-len(TAG_COLUMNS) :]) == list(TAG_COLUMNS)
    with (
        distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        shipped = client.scatter(checker, broadcast=True)  # the model is sent once to each worker
        parts = dd.from_pandas(frame, npartitions=4)
        tagged = parts.map_partitions(tag_frame, checker=shipped, meta=expected.iloc[:0]).compute()
        assert len(client.scheduler_info()["workers"]) == 2
    # Dask hands partitions over as Arrow-backed strings: the cells are compared, not the dtypes
    assert tagged.astype(object).values.tolist() == expected.astype(object).values.tolist()
    assert len(expected) > 90


def test_a_missing_column_is_named(checker, frame):
    with pytest.raises(KeyError, match="没有“品名”列"):
        tag_frame(frame, "品名", checker=checker)

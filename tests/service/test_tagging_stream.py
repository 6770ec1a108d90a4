"""Sheets stream through in chunks: nothing reads ahead, so memory stays flat however long the sheet."""

from __future__ import annotations

from service.sheets import RowCollector, Table, choose_columns, tag_table


def test_no_read_ahead(checker):
    written: list[int] = []
    produced: list[int] = []

    def chunks():
        for n in range(5):
            # the previous chunk must be written before the next is read
            assert len(written) == n
            produced.append(n)
            yield [[f"人事考试考务服务{n}", "人社局"]] * 100

    class Recorder(RowCollector):
        def write(self, rows):
            written.append(len(rows))

    table = Table(["项目名称", "单位"], chunks(), "utf-8", "csv")
    columns = choose_columns(table.header)
    summary = tag_table(table, columns, checker, Recorder())
    assert summary.rows == 500 and written == [100] * 5 and produced == [0, 1, 2, 3, 4]

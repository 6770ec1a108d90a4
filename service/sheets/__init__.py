"""The sheets clerks use, read and written: CSV and XLSX in chunks (``open_table``), the header found among
title and note rows (``_layout``), each row tagged or audited (``tag_table``), the tagged file written back
(``TableWriter``: a CSV, or the officer's workbook with its 汇总 sheet) and the 汇总 itself (``SheetTally``).
``tag_columns`` and ``tag_frame`` are the same columns for pandas and distributed engines.

Reading never imports writing: ``_tables`` reads, ``_summary`` and ``_workbook`` build on it, ``_writer`` on
all three, ``_tagging`` on the reader and the 汇总.

Names are imported when first used, so that ``import service`` loads neither the model stack (``_tagging``)
nor openpyxl (``_workbook``): ``gpsc catalog`` stays fast.
"""

from service.lazy import lazy_names

_HOMES = {
    "DEPARTMENT_COLUMN_GUESSES": "._tables",
    "TEXT_COLUMN_GUESSES": "._tables",
    "ColumnError": "._tables",
    "Table": "._tables",
    "TableError": "._tables",
    "detect_encoding": "._tables",
    "open_table": "._tables",
    "open_table_bytes": "._tables",
    "pick_column": "._tables",
    "RowCollector": "._writer",
    "TableWriter": "._writer",
    "csv_safe": "._writer",
    "RowSamples": "._summary",
    "SheetTally": "._summary",
    "print_samples": "._summary",
    "print_summary": "._summary",
    "CODE_COLUMN_GUESSES": "._tagging",
    "PINMU_COLUMN_GUESSES": "._tagging",
    "Columns": "._tagging",
    "Summary": "._tagging",
    "TaggingCancelled": "._tagging",
    "TooManyRowsError": "._tagging",
    "choose_columns": "._tagging",
    "output_header": "._tagging",
    "sheet_buyer": "._tagging",
    "tag_table": "._tagging",
    "tag_columns": "._columns",
    "tag_frame": "._columns",
}


__getattr__, __dir__ = lazy_names(__name__, _HOMES)


__all__ = [
    "CODE_COLUMN_GUESSES",
    "DEPARTMENT_COLUMN_GUESSES",
    "PINMU_COLUMN_GUESSES",
    "TEXT_COLUMN_GUESSES",
    "ColumnError",
    "Columns",
    "RowCollector",
    "RowSamples",
    "SheetTally",
    "Summary",
    "Table",
    "TableError",
    "TableWriter",
    "TaggingCancelled",
    "TooManyRowsError",
    "choose_columns",
    "csv_safe",
    "detect_encoding",
    "open_table",
    "open_table_bytes",
    "output_header",
    "pick_column",
    "print_samples",
    "print_summary",
    "sheet_buyer",
    "tag_columns",
    "tag_frame",
    "tag_table",
]

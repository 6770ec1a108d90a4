"""gpsc's service layer: it adapts the library to files, terminals and HTTP; it holds no matching logic.

Grouped by job: ``service.cli`` (the ``gpsc`` command line), ``service.sheets`` (reading, tagging and writing
the sheets clerks use, and their 汇总), ``service.api`` (the HTTP service and how it is run), ``service.web``
(the page it serves), ``service.reviews`` (the review record and its decisions applied to verdicts). What
several of them share is public here: ``shapes`` (the JSON and column shapes), ``words`` (the Chinese words
for machine values) and ``loading`` (opening the checker, trained on first use).

Public here: ``running_server`` (a real ``gpsc serve`` on a free loopback port, for browser tests and
benchmarks), the JSON shapes the CLI and the API share (``verdict_dict``, ``tag_cells``, ``TAG_COLUMNS``), and
the columnar batch call for pandas and distributed engines (``tag_columns``).
"""

from .api import running_server
from .shapes import AUDIT_COLUMNS, TAG_COLUMNS, tag_cells, verdict_dict
from .sheets import tag_columns, tag_frame

__all__ = ["AUDIT_COLUMNS", "TAG_COLUMNS", "running_server", "tag_cells", "tag_columns", "tag_frame", "verdict_dict"]

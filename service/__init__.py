"""gpsc's service layer: the ``gpsc`` command line (``service.cli``), the HTTP service (``service.api``) and the
web page. It adapts the library to files, terminals and HTTP; it holds no matching logic.

Public here: ``running_server`` (a real ``gpsc serve`` on a free loopback port, for browser tests and
benchmarks), the JSON shapes the CLI and the API share (``verdict_dict``, ``tag_cells``, ``TAG_COLUMNS``), and
the columnar batch call for pandas and distributed engines (``tag_columns``).
"""

from ._columns import tag_columns, tag_frame
from ._launch import running_server
from ._shapes import AUDIT_COLUMNS, TAG_COLUMNS, tag_cells, verdict_dict

__all__ = ["AUDIT_COLUMNS", "TAG_COLUMNS", "running_server", "tag_cells", "tag_columns", "tag_frame", "verdict_dict"]

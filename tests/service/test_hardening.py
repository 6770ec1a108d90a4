"""Hostile input, huge input and faults (the hardening issue): one regression test per reported case, each
bounded in time. The numbers in the test names are the issue's case numbers."""

from __future__ import annotations

import csv
import io
import os
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook

from service import running_server
from service.api import Settings, create_app
from service.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "liulin_2026_projects.csv"
GPSC = [sys.executable, "-m", "service.cli"]


@pytest.fixture(scope="module")
def client(checker):
    settings = Settings(max_upload_bytes=2_000_000, max_upload_rows=500, max_unpacked_bytes=20_000_000)
    with TestClient(create_app(settings, checker=checker)) as c:
        yield c


def error_code(response) -> str:
    return response.json()["error"]["code"]


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, path: str, name: str, data: bytes, **form):
    return client.post(path, files={"file": (name, data, "application/octet-stream")}, data=form)


# 1 ---------------------------------------------------------------- a long department name
@pytest.mark.parametrize("path", ["/v1/check", "/v1/classify"])
def test_01_a_department_over_100_characters_is_invalid_at_once(client, path):
    body = {"text": "热线", "department": "局" * 8000}
    started = time.perf_counter()
    response = client.post(path, json=body if path == "/v1/check" else {"items": [body]})
    assert time.perf_counter() - started < 5
    assert response.status_code == 422 and error_code(response) == "invalid_request"


def test_01_long_department_names_everywhere_else_are_quick(client):
    started = time.perf_counter()
    assert client.get("/v1/catalog/departments/" + "局" * 2000).status_code == 422  # (URLs stop at 64 KiB)
    assert client.get("/v1/catalog/search", params={"q": "热线", "department": "局" * 2000}).status_code == 422
    sheet = f"项目名称,单位\n热线服务,{'局' * 8000}\n社工站,{'中心' * 2000}\n".encode()
    tagged = upload(client, "/v1/tag", "long.csv", sheet, format="json")
    assert tagged.status_code == 200 and len(tagged.json()["rows"]) == 2  # judged as units without a section
    form = upload(client, "/v1/tag", "x.csv", EXAMPLE.read_bytes(), department="局" * 8000)
    assert form.status_code == 422
    result = CliRunner().invoke(main, ["check", "热线", "-d", "局" * 8000])
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
    assert time.perf_counter() - started < 30


# 2 ---------------------------------------------------------------- small XLSX, huge inside
def _bomb(inner: bytes, *, declared: int | None = None) -> bytes:
    """A valid-looking .xlsx whose sheet XML is ``inner``; ``declared`` makes its header lie about the size."""
    good = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["项目名称"], ["社工站"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in good.infolist():
            data = inner if item.filename == "xl/worksheets/sheet1.xml" else good.read(item)
            bomb.writestr(item.filename, data)
    raw = out.getvalue()
    if declared is not None:  # patch the uncompressed size in both headers of the sheet's entry
        name = b"xl/worksheets/sheet1.xml"
        real = len(inner).to_bytes(4, "little")
        fake = declared.to_bytes(4, "little")
        raw = raw.replace(real + len(name).to_bytes(2, "little"), fake + len(name).to_bytes(2, "little"))
    return raw


def test_02_a_zip_bomb_is_refused_before_parsing(client):
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (i, i) for i in range(1, 2))
    inner = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    inner += rows + b"<row/>" * 5_000_000 + b"</sheetData></worksheet>"  # 30 MB of XML, a few KB zipped
    data = _bomb(inner)
    assert len(data) < 200_000
    started = time.perf_counter()
    response = upload(client, "/v1/tag", "bomb.xlsx", data)
    assert time.perf_counter() - started < 20
    assert response.status_code == 422 and "解压后超过" in response.json()["error"]["message"]


def test_02_a_part_larger_than_its_header_says_is_refused(client):
    inner = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    inner += b"<row/>" * 200_000 + b"</sheetData></worksheet>"
    response = upload(client, "/v1/tag", "liar.xlsx", _bomb(inner, declared=1000))
    assert response.status_code == 422 and error_code(response) == "bad_file"


def test_02_rows_per_upload_are_capped_with_a_413(client):
    sheet = ("项目名称\n" + "社工站运营\n" * 600).encode()
    response = upload(client, "/v1/tag", "many.csv", sheet)
    assert response.status_code == 413 and error_code(response) == "too_many_rows"
    assert "500" in response.json()["error"]["message"]
    columns = upload(client, "/v1/sheet/columns", "many.csv", sheet)
    assert columns.status_code == 413


def test_02_an_over_long_text_cell_is_that_rows_error_only(client):
    sheet = f"项目名称,单位\n社工站运营,民政局\n{'服务' * 5000},民政局\n12345热线外包,审批局\n".encode()
    response = upload(client, "/v1/tag", "long.csv", sheet, format="json")
    assert response.status_code == 200
    header, rows = response.json()["header"], response.json()["rows"]
    reasons = [row[header.index("gpsc_reasons")] for row in rows]
    assert len(rows) == 3 and "过长" in reasons[1] and "过长" not in reasons[0] + reasons[2]
    assert rows[1][0] == "服务" * 5000  # the cell itself comes back whole


def test_02_work_stops_when_the_client_leaves(checker, monkeypatch):
    from service.sheets import _tagging

    calls = []
    real = _tagging._process_chunk

    def counting(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(_tagging, "_process_chunk", counting)
    table = type("T", (), {})()
    table.header = ["项目名称"]
    table.chunks = iter([[[f"社工站运营第{k}期"]] for k in range(10)])  # distinct: none is copied from the memo
    columns = _tagging.Columns("项目名称", None)
    stops = iter([False, False, True] + [True] * 10)
    with pytest.raises(_tagging.TaggingCancelled):
        _tagging.tag_table(table, columns, checker, _Sink(), should_stop=lambda: next(stops))
    assert len(calls) == 2


class _Sink:
    def write(self, rows):
        pass


# 3 ---------------------------------------------------------------- body limits
def test_03_a_declared_huge_body_is_refused_at_once(client):
    started = time.perf_counter()
    response = client.post(
        "/v1/tag", content=b"x", headers={"content-length": "314572800", "content-type": "multipart/form-data"}
    )
    assert response.status_code == 413 and error_code(response) == "body_too_large"
    assert time.perf_counter() - started < 2


def test_03_a_body_without_length_is_cut_at_the_limit(client):
    def chunks():
        for _ in range(40):
            yield b"a" * (1 << 20)

    response = client.post("/v1/tag", content=chunks(), headers={"content-type": "multipart/form-data; boundary=x"})
    assert response.status_code == 413


def test_03_json_bodies_have_a_limit(client):
    items = [{"text": "热线服务" * 100}] * 5000
    response = client.post("/v1/classify", json={"items": items})
    assert response.status_code == 413 and "MiB" in response.json()["error"]["message"]


# 4 ---------------------------------------------------------------- slow clients
def test_04_slow_headers_and_a_stalled_body_are_dropped(model_file):
    with running_server(model_file, args=("--header-timeout", "1", "--body-timeout", "1")) as base:
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as slow:
            slow.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\n")  # and never the rest
            started = time.perf_counter()
            assert slow.recv(1024) == b""  # closed by the server
            assert time.perf_counter() - started < 8
        with socket.create_connection((host, int(port)), timeout=10) as stall:
            stall.sendall(
                b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
            )
            answer = stall.recv(4096)
            assert b" 408 " in answer.split(b"\r\n", 1)[0]
        assert httpx.get(f"{base}/health", timeout=5).status_code == 200  # still serving


# 5 ---------------------------------------------------------------- codec names
CODECS = ["rot13", "base64", "zlib", "hex", "uu", "bz2", "idna", "undefined", "utf-16", "no-such-codec"]


@pytest.mark.parametrize("codec", CODECS)
@pytest.mark.parametrize("path", ["/v1/tag", "/v1/audit", "/v1/sheet/columns"])
def test_05_only_text_encodings_are_accepted(client, path, codec):
    form = {"encoding": codec}
    if path == "/v1/audit":
        form["code_column"] = "申报代码"
    response = upload(client, path, "x.csv", EXAMPLE.read_bytes(), **form)
    assert 400 <= response.status_code < 500, response.text
    assert error_code(response) == "bad_file" and "编码" in response.json()["error"]["message"]


def test_05_the_cli_refuses_a_codec_in_one_line(tmp_path):
    result = CliRunner().invoke(main, ["tag", str(EXAMPLE), "--encoding", "rot13", "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 1 and "Traceback" not in result.output and "编码" in result.output


# 6 ---------------------------------------------------------------- a lone surrogate
def test_06_a_lone_surrogate_is_a_422_in_classify_too(client):
    body = '{"items": [{"text": "\\udc80x"}]}'
    response = client.post("/v1/classify", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422 and error_code(response) == "invalid_request"
    check = client.post("/v1/check", content='{"text": "\\udc80x"}', headers={"content-type": "application/json"})
    assert check.status_code == 422


# 7 ---------------------------------------------------------------- OS errors on the command line
def _gpsc(*args, stdout=subprocess.PIPE, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*GPSC, *args], stdout=stdout, stderr=subprocess.PIPE, timeout=120, env={**os.environ}, **kw)


def test_07_writing_to_a_missing_folder_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["tag", str(EXAMPLE), "-o", "/nonexistent/x.csv"])
    assert result.exit_code == 1 and "Traceback" not in result.output and "/nonexistent" in result.output


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_07_a_full_stdout_is_one_line_and_exit_1():
    with open("/dev/full", "w") as full:
        result = _gpsc("check", "热线", stdout=full)
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr and "磁盘空间不足".encode() in result.stderr


def test_07_train_into_an_unwritable_place_is_one_line():
    result = CliRunner().invoke(main, ["train", "-o", "/proc/m.joblib"])
    assert result.exit_code == 1 and "Traceback" not in result.output and "/proc/m.joblib" in result.output


def test_07_a_file_size_limit_is_one_line(tmp_path):
    import resource

    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (4_000, 4_000))

    result = _gpsc("tag", str(EXAMPLE), "-o", str(tmp_path / "big.csv"), preexec_fn=small_files)
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    assert "文件超过允许的大小".encode() in result.stderr
    assert not list(tmp_path.iterdir()), "no partial file is left"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_07_a_read_only_folder_is_one_line(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    result = CliRunner().invoke(main, ["tag", str(EXAMPLE), "-o", str(folder / "x.csv")])
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_07_serve_with_a_truncated_model_is_one_line(model_file, tmp_path):
    truncated = tmp_path / "truncated.joblib"
    truncated.write_bytes(Path(model_file).read_bytes()[:5000])
    result = _gpsc("serve", "--port", "1", "--model", str(truncated))
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    assert b"truncated.joblib" in result.stderr


# 8 ---------------------------------------------------------------- a wrong output type, before any work
def test_08_a_wrong_output_extension_is_refused_first(tmp_path):
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["tag", str(EXAMPLE), "-o", str(tmp_path / "out.pdf")])
    assert result.exit_code == 1 and "out.pdf" in result.output and "tmp" not in result.output
    assert time.perf_counter() - started < 5  # no model was loaded, no row read
    assert not list(tmp_path.iterdir())


# 9 ---------------------------------------------------------------- nothing dropped
def _tag_csv(tmp_path, content: bytes, *args) -> list[list[str]]:
    source = tmp_path / "in.csv"
    source.write_bytes(content)
    result = CliRunner().invoke(main, ["tag", str(source), "-o", str(tmp_path / "out.csv"), *args])
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8-sig"))))


def test_09_cells_beyond_the_header_and_blank_rows_are_kept(tmp_path):
    rows = _tag_csv(
        tmp_path, "项目名称,单位,金额\n社工站运营,民政局,10,EXTRA1,EXTRA2\n,,\n\n热线服务,审批局,5\n".encode()
    )
    header = rows[0]
    assert header[:5] == ["项目名称", "单位", "金额", "第4列", "第5列"]
    assert rows[1][:5] == ["社工站运营", "民政局", "10", "EXTRA1", "EXTRA2"]
    assert len(rows) == 5  # header + 4 rows, the blank ones too
    assert not any(rows[2][5:]) and rows[4][0] == "热线服务"


def test_09_a_formula_without_a_cached_value_keeps_its_text(tmp_path):
    book = Workbook()
    book.active.append(["项目名称", "金额"])
    book.active.append(["社工站运营", "=1+2"])  # openpyxl writes no cached value
    source = tmp_path / "f.xlsx"
    book.save(source)
    result = CliRunner().invoke(main, ["tag", str(source), "-o", str(tmp_path / "o.xlsx")])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(tmp_path / "o.xlsx").active
    assert sheet["B2"].value == "=1+2" and sheet["B2"].data_type == "s"  # kept, and as text


def test_09_big5_is_read_as_big5_never_garbled(tmp_path):
    content = "項目名稱,單位\n社區服務中心運營,民政局\n心理諮詢服務,衛生局\n".encode("big5")
    rows = _tag_csv(tmp_path, content, "--text-column", "項目名稱")
    assert rows[0][:2] == ["項目名稱", "單位"] and rows[1][0] == "社區服務中心運營"


# 10 --------------------------------------------------------------- files as other tools make them
def test_10_output_follows_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        result = CliRunner().invoke(main, ["tag", str(EXAMPLE), "-o", str(tmp_path / "o.csv")])
    finally:
        os.umask(old)
    assert result.exit_code == 0 and (tmp_path / "o.csv").stat().st_mode & 0o777 == 0o644


def test_10_sigterm_leaves_no_partial_file(tmp_path):
    source = tmp_path / "big.csv"
    with source.open("w", encoding="utf-8") as handle:
        handle.write("项目名称,单位\n")
        for i in range(60_000):
            handle.write(f"第{i}批社区养老服务,民政局\n")
    out = tmp_path / "out"
    out.mkdir()
    process = subprocess.Popen([*GPSC, "tag", str(source), "-o", str(out / "o.csv")], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not list(out.glob(".o.gpsc-partial-*.csv")) and time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode()
        time.sleep(0.2)
    assert list(out.glob(".o.gpsc-partial-*.csv")), "the partial file is named so a leftover is recognisable"
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    process.stderr.close()
    assert process.returncode != 0 and not list(out.iterdir())


# 11 --------------------------------------------------------------- formula injection
HOSTILE = ['=HYPERLINK("http://x","y")', "=1+2", "=cmd|' /C calc'!A0", "+SUM(A1)", "@A1", "-2+3"]


def test_11_csv_output_neutralises_formulas_and_keeps_numbers(tmp_path):
    content = "项目名称,备注,金额\n" + "".join(f'社工站运营,"{h.replace(chr(34), chr(34) * 2)}",-5\n' for h in HOSTILE)
    rows = _tag_csv(tmp_path, content.encode())
    notes = [row[1] for row in rows[1:]]
    assert all(note.startswith("'") for note in notes), notes
    assert [row[2] for row in rows[1:]] == ["-5"] * len(HOSTILE)


def test_11_xlsx_output_writes_text_cells(client):
    data = xlsx_bytes([["项目名称", "备注"], *[["社工站运营", h] for h in HOSTILE]])
    response = upload(client, "/v1/tag", "x.xlsx", data)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    for row in sheet.iter_rows(min_row=2, max_col=2):
        assert row[1].data_type == "s", row[1].value


# 14 --------------------------------------------------------------- the page's own files only, with headers
def test_14_only_the_pages_assets_are_served(client):
    assert client.get("/static/__init__.py").status_code == 404
    assert client.get("/static/../web/__init__.py").status_code == 404
    page = client.get("/")
    assert page.status_code == 200 and client.get("/static/app.js").status_code == 200
    for response in (page, client.get("/health"), client.get("/static/style.css")):
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"


# 15 --------------------------------------------------------------- the OpenAPI document tells the truth
def test_15_openapi_lists_the_error_responses_and_405_sends_allow(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"400", "413", "422"} <= set(paths["/v1/check"]["post"]["responses"])
    assert {"413", "415", "422"} <= set(paths["/v1/tag"]["post"]["responses"])
    assert "404" in paths["/v1/catalog/departments/{name}"]["get"]["responses"]
    response = client.get("/v1/check")
    assert response.status_code == 405 and response.headers["allow"] == "POST"


# the hostile-file suite against a real server: every answer a 4xx, the server's memory bounded -------------
def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads peak memory from /proc")
def test_hostile_files_against_a_real_server_stay_under_600_mb(model_file):
    sheet_xml = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    bomb = _bomb(sheet_xml + b"<row/>" * 40_000_000 + b"</sheetData></worksheet>")  # 240 MB of rows, zipped
    huge_cell = _bomb(
        sheet_xml + b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"x" * 150_000_000 + b"</t></is></c></row>"
        b"</sheetData></worksheet>"
    )
    liar = _bomb(sheet_xml + b"<row/>" * 3_000_000 + b"</sheetData></worksheet>", declared=1000)
    cases = [
        ("bomb.xlsx", bomb),
        ("cell.xlsx", huge_cell),
        ("liar.xlsx", liar),
        ("long.csv", ("项目名称\n" + "服" * 3_000_000 + "\n").encode()),
        ("codec.csv", EXAMPLE.read_bytes()),
    ]
    with running_server(model_file) as base, httpx.Client(base_url=base, timeout=60) as http:
        started = time.perf_counter()
        for name, data in cases:
            form = {"encoding": "rot13"} if name == "codec.csv" else {"format": "json"}
            response = http.post("/v1/tag", files={"file": (name, data)}, data=form)
            assert 400 <= response.status_code < 500 or (name == "long.csv" and response.status_code == 200), name
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as raw:  # httpx will not send a lying header
            raw.sendall(b"POST /v1/tag HTTP/1.1\r\nHost: x\r\nContent-Length: 314572800\r\n\r\nx")
            assert b" 413 " in raw.recv(4096).split(b"\r\n", 1)[0]
        multipart = {"content-type": "multipart/form-data; boundary=x"}
        streamed = http.post("/v1/tag", content=iter([b"a" * (1 << 20)] * 30), headers=multipart)
        assert streamed.status_code in (400, 413)  # refused as it arrives: unparseable, or over the limit
        assert time.perf_counter() - started < 60
        assert _peak_rss_mb(base.pid) < 600

"""The model cache: a pickle others could have written is never loaded, concurrent first starts leave one whole
file (one process trains, the others load it), and a truncated file is a cache miss, not a traceback.

These tests use tiny stand-in objects instead of trained models, so they never train anything."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import stat
from pathlib import Path
from types import SimpleNamespace

import joblib
import pytest

from classifier import _cachefile as cachefile
from classifier._cachefile import (
    TMP_PREFIX,
    UnsafeCacheError,
    atomic_dump,
    load_or_build,
    prepare_dir,
    read_private,
)


@pytest.fixture(autouse=True)
def _isolated_model_cache(monkeypatch, tmp_path):
    """Replaces the session fixture of the same name (which trains the production checker): these tests need
    only an empty private cache folder of their own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("GPSC_MODEL", raising=False)


class Planted:
    """A pickle that runs code when loaded: it creates ``marker``."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def _private_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    folder.chmod(0o700)
    return folder


def _plant(path: Path, marker: Path, mode: int = 0o600) -> None:
    joblib.dump(Planted(marker), path)
    path.chmod(mode)


def _save(value, path):
    """How the models are saved into the cache folder (``save_model`` and ``save_checker`` do this there)."""
    return atomic_dump(value, path, private=True)


def _never_build():
    raise AssertionError("must not build: the cached value is usable")


# --- what is trusted -------------------------------------------------------------------------------------


def test_a_private_file_in_a_private_folder_is_loaded(tmp_path):
    folder = _private_dir(tmp_path)
    path = atomic_dump({"answer": 42}, folder / "m.joblib", private=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_private(path) == {"answer": 42}
    assert load_or_build(path, load=joblib.load, build=_never_build, save=_save) == {"answer": 42}


@pytest.mark.parametrize("mode", [0o620, 0o602, 0o666])
def test_a_file_others_can_write_is_not_loaded(tmp_path, mode):
    folder = _private_dir(tmp_path)
    path, marker = folder / "m.joblib", tmp_path / "pwned"
    _plant(path, marker, mode)
    with pytest.raises(UnsafeCacheError, match="可被同组或其他用户写入"):
        read_private(path)
    with pytest.warns(UserWarning, match=r"忽略缓存模型 .*m\.joblib：文件可被同组或其他用户写入"):
        value = load_or_build(path, load=joblib.load, build=lambda: "fresh", save=_save)
    assert value == "fresh" and not marker.exists()
    assert read_private(path) == "fresh", "the planted file is replaced by a private one"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("mode", [0o770, 0o707, 0o777])
def test_a_folder_others_can_write_is_not_trusted_and_is_made_private(tmp_path, mode):
    folder = _private_dir(tmp_path)
    path, marker = folder / "m.joblib", tmp_path / "pwned"
    _plant(path, marker)  # the file itself looks private: someone could have swapped it in
    folder.chmod(mode)
    with pytest.raises(UnsafeCacheError, match="缓存目录可被同组或其他用户写入"):
        read_private(path)
    with pytest.warns(UserWarning, match="缓存目录可被同组或其他用户写入"):
        value = load_or_build(path, load=joblib.load, build=lambda: "fresh", save=_save)
    assert value == "fresh" and not marker.exists()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert load_or_build(path, load=joblib.load, build=_never_build, save=_save) == "fresh"


def test_a_file_of_another_user_is_not_loaded(tmp_path, monkeypatch):
    folder = _private_dir(tmp_path)
    path, marker = folder / "m.joblib", tmp_path / "pwned"
    _plant(path, marker)
    if os.getuid() == 0:
        os.chown(path, 65534, -1)
    else:  # only root can give a file away: look at this one as if it were someone else's
        original = cachefile._problem

        def as_if_someone_elses(st, what):
            if what == "文件":
                st = os.stat_result((*st[:4], st.st_uid + 1, *st[5:]))
            return original(st, what)

        monkeypatch.setattr(cachefile, "_problem", as_if_someone_elses)
    with pytest.raises(UnsafeCacheError, match="文件属主不是当前用户"):
        read_private(path)
    with pytest.warns(UserWarning, match="忽略缓存模型 .*：文件属主不是当前用户"):
        assert load_or_build(path, load=joblib.load, build=lambda: "fresh", save=lambda v, p: None) == "fresh"
    assert not marker.exists()


def test_a_folder_of_another_user_is_not_used_at_all(tmp_path, monkeypatch):
    folder = _private_dir(tmp_path)
    path, marker = folder / "m.joblib", tmp_path / "pwned"
    _plant(path, marker)
    planted = path.read_bytes()
    monkeypatch.setattr(os, "getuid", lambda: folder.stat().st_uid + 1)
    assert prepare_dir(folder)[0] is False
    with pytest.warns(UserWarning, match="缓存目录属主不是当前用户.*只在内存中训练"):
        value = load_or_build(path, load=joblib.load, build=lambda: "in memory", save=_save)
    assert value == "in memory" and not marker.exists()
    assert path.read_bytes() == planted and not (folder / "m.joblib.lock").exists(), "nothing is written there"


def test_a_symlink_to_a_file_elsewhere_is_not_followed(tmp_path):
    folder = _private_dir(tmp_path)
    elsewhere, marker = tmp_path / "elsewhere.joblib", tmp_path / "pwned"
    _plant(elsewhere, marker)
    (folder / "m.joblib").symlink_to(elsewhere)
    with pytest.raises(UnsafeCacheError):
        read_private(folder / "m.joblib")
    assert not marker.exists()


def test_the_cache_folder_is_created_private(tmp_path):
    folder = tmp_path / "a" / "b" / "gpsc"
    atomic_dump("x", folder / "m.joblib", private=True)
    for created in (folder, folder.parent, folder.parent.parent):
        assert stat.S_IMODE(created.stat().st_mode) == 0o700, created


# --- the real entry points -------------------------------------------------------------------------------


def test_get_model_ignores_a_planted_cached_model(tmp_path, monkeypatch):
    import classifier._persist as persist

    path, marker = persist.default_model_path(), tmp_path / "pwned"
    path.parent.mkdir(parents=True, mode=0o700)
    _plant(path, marker, 0o666)
    stub = SimpleNamespace(catalog_hash_="stub")
    monkeypatch.setattr(persist, "train_default_model", lambda catalog=None: stub)
    with pytest.warns(UserWarning, match="忽略缓存模型.*文件可被同组或其他用户写入"):
        assert persist.get_model() is stub
    assert not marker.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and joblib.load(path)["catalog_hash"] == "stub"


def test_get_checker_ignores_a_planted_cached_checker(tmp_path, monkeypatch):
    import classifier.eligibility._bundle as bundle

    path, marker = bundle.default_checker_path(), tmp_path / "pwned"
    path.parent.mkdir(parents=True, mode=0o700)
    _plant(path, marker, 0o664)
    stub = SimpleNamespace(catalog=None, thresholds=None, model=None, pinmu_model=None)
    monkeypatch.setattr(bundle, "get_model", lambda path=None, catalog=None: None)
    monkeypatch.setattr(bundle, "train_checker", lambda model=None, catalog=None, *, progress=None: stub)
    with pytest.warns(UserWarning, match="忽略缓存模型.*文件可被同组或其他用户写入"):
        assert bundle.get_checker() is stub
    assert not marker.exists()


def test_a_truncated_cached_model_is_a_miss_not_a_traceback(tmp_path, monkeypatch):
    import classifier._persist as persist

    path = persist.default_model_path()
    persist.save_model(SimpleNamespace(catalog_hash_="old", payload=os.urandom(50_000)), path)
    path.write_bytes(path.read_bytes()[:1000])
    stub = SimpleNamespace(catalog_hash_="stub")
    monkeypatch.setattr(persist, "train_default_model", lambda catalog=None: stub)
    with pytest.warns(UserWarning, match=r"忽略缓存模型 .*：无法使用（.*），已删除；正在重新训练"):
        assert persist.get_model() is stub
    assert joblib.load(path)["catalog_hash"] == "stub"


def test_a_truncated_file_is_a_miss_and_is_removed(tmp_path):
    folder = _private_dir(tmp_path)
    path = atomic_dump(list(range(20_000)), folder / "m.joblib", private=True)
    path.write_bytes(path.read_bytes()[:200])
    built = []
    with pytest.warns(UserWarning, match="无法使用.*已删除"):
        value = load_or_build(path, load=joblib.load, build=lambda: built.append(1) or "fresh", save=lambda v, p: None)
    assert value == "fresh" and built == [1] and not path.exists()


def test_an_explicit_model_file_is_still_the_users_choice(tmp_path):
    from classifier import ModelFileError, get_model

    chosen = tmp_path / "mine.joblib"
    chosen.write_bytes(b"not a model")
    chosen.chmod(0o666)
    with pytest.raises(ModelFileError):  # reported, not silently replaced or ignored
        get_model(chosen)
    assert chosen.read_bytes() == b"not a model"


# --- concurrent first starts -----------------------------------------------------------------------------


def _build_once(log: str, size: int):
    with open(log, "a") as out:
        out.write("built\n")
    import time

    time.sleep(0.3)  # training takes a while: the others must wait for it, not train too
    return {"payload": os.urandom(size)}


def _first_start(path: str, log: str, barrier) -> bytes:
    barrier.wait()
    value = load_or_build(Path(path), load=joblib.load, build=lambda: _build_once(log, 400_000), save=_save)
    return value["payload"]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _writer(path: str, names: str, barrier, rounds: int) -> None:
    """Save the same file many times at once as the others, recording each temporary name used."""
    import tempfile

    real = tempfile.mkstemp

    def recording(*args, **kwargs):
        fd, name = real(*args, **kwargs)
        with open(names, "a") as out:
            out.write(name + "\n")
        return fd, name

    cachefile.tempfile.mkstemp = recording
    barrier.wait()
    for _ in range(rounds):
        payload = os.urandom(200_000)
        cachefile.atomic_dump({"payload": payload, "check": _digest(payload)}, Path(path), private=True)
        bundle = read_private(path)  # whatever is there is whole: the last complete write of someone
        assert bundle["check"] == _digest(bundle["payload"])


def _context():
    """Processes forked from a server that has already imported this module: six fresh interpreters would
    spend seconds importing scikit-learn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    return ctx


def _run_processes(target, args, n=6):
    """Run ``target(*args, barrier)`` in ``n`` processes released at once; their return values."""
    ctx = _context()
    barrier, results = ctx.Barrier(n), ctx.Queue()
    procs = [ctx.Process(target=_collect, args=(target, (*args, barrier), results)) for _ in range(n)]
    for p in procs:
        p.start()
    out = [results.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(10)
    assert [p.exitcode for p in procs] == [0] * n
    failures = [r for r in out if isinstance(r, str) and r.startswith("FAILED")]
    assert not failures, failures
    return out


def _collect(target, args, results):
    try:
        results.put(target(*args))
    except BaseException as error:
        results.put(f"FAILED {error!r}")


def test_six_first_starts_train_once_and_all_load_the_same_whole_file(tmp_path):
    folder = _private_dir(tmp_path)
    path, log = folder / "m.joblib", tmp_path / "builds.log"
    results = _run_processes(_first_start, (str(path), str(log)))
    assert log.read_text().count("built") == 1, "one process trains, the others wait and load its file"
    assert len(results) == 6 and len(set(results)) == 1
    assert read_private(path)["payload"] == results[0]
    assert [p.name for p in folder.iterdir() if p.name.startswith(TMP_PREFIX)] == []


def test_six_concurrent_writers_never_leave_a_corrupt_file_and_use_distinct_temporary_names(tmp_path):
    folder = _private_dir(tmp_path)
    path, names = folder / "m.joblib", tmp_path / "names.log"
    _run_processes(_writer_rounds, (str(path), str(names)))
    used = names.read_text().split()
    assert len(used) == 6 * 5 and len(set(used)) == len(used), "temporary names never collide"
    assert all(Path(n).parent == folder and Path(n).name.startswith(TMP_PREFIX) for n in used)
    bundle = read_private(path)
    assert bundle["check"] == _digest(bundle["payload"])
    assert sorted(p.name for p in folder.iterdir()) == ["m.joblib"], "no temporary file is left behind"


def _writer_rounds(path, names, barrier):
    _writer(path, names, barrier, rounds=5)


def test_six_processes_saving_the_ranking_model_at_once_leave_a_whole_file(tmp_path):
    path = tmp_path / "out" / "ranking.joblib"
    _run_processes(_save_stub_model, (str(path),))
    assert joblib.load(path)["model"].catalog_hash_ == "stub"
    assert sorted(p.name for p in path.parent.iterdir()) == ["ranking.joblib"]


def _save_stub_model(path, barrier):
    from classifier import save_model

    barrier.wait()
    for _ in range(3):
        save_model(SimpleNamespace(catalog_hash_="stub", payload=os.urandom(300_000)), path)
        assert joblib.load(path)["model"].catalog_hash_ == "stub"

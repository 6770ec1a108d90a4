"""Saved models: round trip, provenance checks, corrupt files, and the no-manual-step first start."""

from __future__ import annotations

import joblib
import pytest

from classifier import ModelFileError, ModelMismatchError, get_model, load_model, save_model
from classifier._persist import FORMAT_VERSION


def test_round_trip_gives_the_same_answers(model, tmp_path):
    path = save_model(model, tmp_path / "m.joblib")
    loaded = load_model(path)
    texts = ["社工站运营", "12345热线外包", "舆情监测"]
    assert [r.candidates for r in loaded.classify_many(texts)] == [r.candidates for r in model.classify_many(texts)]


def test_bundle_records_provenance(model, tmp_path):
    bundle = joblib.load(save_model(model, tmp_path / "m.joblib"))
    assert bundle["format"] == FORMAT_VERSION
    assert bundle["catalog_hash"] == model.catalog_hash_
    assert {"scikit-learn", "jieba", "rapidfuzz", "numpy", "gpsc"} <= set(bundle["versions"])


def test_mismatched_catalog_is_refused_with_the_fix(model, tmp_path):
    path = save_model(model, tmp_path / "m.joblib")
    bundle = joblib.load(path)
    bundle["catalog_hash"] = "0000000000000000"
    joblib.dump(bundle, path)
    with pytest.raises(ModelMismatchError, match="gpsc train"):
        load_model(path)


def test_mismatched_library_version_is_refused(model, tmp_path):
    path = save_model(model, tmp_path / "m.joblib")
    bundle = joblib.load(path)
    bundle["versions"]["scikit-learn"] = "0.1"
    joblib.dump(bundle, path)
    with pytest.raises(ModelMismatchError, match=r"scikit-learn 0\.1"):
        load_model(path)


@pytest.mark.parametrize("content", [b"", b"not a pickle at all", None], ids=["empty", "garbage", "foreign"])
def test_corrupt_or_foreign_file(tmp_path, content):
    path = tmp_path / "m.joblib"
    if content is None:
        joblib.dump({"something": "else"}, path)
    else:
        path.write_bytes(content)
    with pytest.raises(ModelFileError):
        load_model(path)


def test_missing_file(tmp_path):
    with pytest.raises(ModelFileError, match="gpsc train"):
        load_model(tmp_path / "nope.joblib")


def test_first_start_trains_and_saves_then_later_starts_load(monkeypatch, tmp_path):
    import classifier._persist as persist

    monkeypatch.delenv("GPSC_MODEL")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    trained = []
    real_train = persist.train_default_model
    monkeypatch.setattr(persist, "train_default_model", lambda catalog=None: trained.append(1) or real_train(catalog))
    first = get_model()
    saved = list((tmp_path / "gpsc").glob("model-*.joblib"))
    assert len(saved) == 1 and trained == [1]
    second = get_model()
    assert trained == [1], "the second start must load the saved model, not retrain"
    assert second.classify("社工站运营", "民政").best.key == first.classify("社工站运营", "民政").best.key

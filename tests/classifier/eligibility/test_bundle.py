"""The saved checker: thresholds travel with it, and it knows what it was made from."""

from __future__ import annotations

import joblib
import pytest
from click.testing import CliRunner

from classifier import ModelFileError, ModelMismatchError
from classifier.eligibility import default_checker_path, load_checker, provenance


def test_the_bundle_records_every_input(model_file):
    saved = joblib.load(model_file)["provenance"]
    for name in (
        "training_data/train.csv",
        "training_data/train_shapes.csv",
        "training_data/aliases.csv",
        "training_data/dev.csv",
        "training_data/negatives.csv",
        "training_data/dev_verdicts.csv",
        "classifier/data/places.txt",
        "classifier/eligibility/eligibility_rules.toml",
        "classifier/eligibility/scope_qualifiers.toml",
        "catalog/data/department_aliases.tsv",
        "library:jieba",
        "library:scikit-learn",
    ):
        assert saved.get(name), name
    assert saved == provenance()


def test_a_bundle_made_from_other_inputs_is_refused_with_the_retrain_command(model_file, tmp_path):
    bundle = joblib.load(model_file)
    bundle["provenance"]["training_data/negatives.csv"] = "0" * 16
    stale = tmp_path / "stale.joblib"
    joblib.dump(bundle, stale)
    with pytest.raises(ModelMismatchError) as caught:
        load_checker(stale)
    assert "training_data/negatives.csv" in str(caught.value) and f"gpsc train -o {stale}" in str(caught.value)

    from service.cli import main

    result = CliRunner().invoke(main, ["check", "社工站运营", "--model", str(stale)])
    assert result.exit_code == 1 and "gpsc train -o" in result.output and "Traceback" not in result.output


def test_a_ranking_model_alone_is_not_a_checker(model, tmp_path):
    from classifier import save_model

    path = save_model(model, tmp_path / "ranking.joblib")
    with pytest.raises(ModelFileError, match="不是 gpsc 模型文件"):
        load_checker(path)


def test_the_cache_name_follows_the_inputs(monkeypatch):
    import classifier.eligibility._bundle as bundle

    monkeypatch.delenv("GPSC_MODEL", raising=False)
    before = default_checker_path()
    monkeypatch.setattr(bundle, "rules_source", lambda: "changed rules")
    assert default_checker_path() != before and default_checker_path().parent == before.parent

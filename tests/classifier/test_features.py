"""The lean TF-IDF transform used when serving must equal scikit-learn's, on real lines."""

from __future__ import annotations

import numpy as np
import pytest

from classifier import bundled_dev, normalize
from classifier._features import FittedTfidf, char_vectorizer, lean_transform, word_vectorizer


@pytest.mark.parametrize("make", [lambda: char_vectorizer((1, 3)), word_vectorizer], ids=["char", "word"])
def test_lean_transform_equals_sklearn(catalog, make):
    docs = [normalize(line.text) for line in bundled_dev(catalog)]
    fit_docs, new_docs = docs[:200], [*docs[200:], "", "  全新的  词 ", "ＡＢＣ"]
    vectorizer = make()
    fitted = FittedTfidf.fit(vectorizer, fit_docs)
    expected = vectorizer.transform(new_docs).toarray()
    got = lean_transform(fitted, new_docs).toarray()
    np.testing.assert_allclose(got, expected, atol=1e-6)


def test_serving_does_not_import_sklearn(model_file):
    import subprocess
    import sys

    code = (
        "import sys\nfrom classifier.eligibility import load_checker\n"
        f"load_checker({str(model_file)!r}).check('社工站运营', '民政')\n"
        "assert 'sklearn' not in sys.modules, 'serving imported scikit-learn'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_the_fuzzy_feature_uses_the_thread_limit():
    from classifier import set_threads
    from classifier._threads import cdist_workers

    assert cdist_workers(10) == 1  # a few lines: one thread
    try:
        set_threads(1)
        assert cdist_workers(2000) == 1
    finally:
        set_threads(None)
    assert cdist_workers(2000) == -1


def test_candidate_features_are_the_full_features_of_those_leaves(model):
    # prediction reads only each line's candidates (two stages); those must be the very features training saw
    import numpy as np

    index = model.index_
    queries = ["社工站运营", "12345热线", "全民意外伤害保险", "人事考试考务", "垃圾清运"]
    full, _ = index.features(queries)
    rng = np.random.default_rng(0)
    leaves = rng.integers(0, len(index.names), size=(len(queries), 37))
    picked = index.gather(index.similarities(queries), np.arange(len(queries)), leaves)
    assert np.array_equal(picked, np.take_along_axis(full, leaves[None, :, :], axis=2))

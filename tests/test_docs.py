"""Docs stay honest: every CLI command, option and setting is in the README."""

from __future__ import annotations

import dataclasses
import re

import pytest
import typer.main

from storyline.cli.app import app
from storyline.settings import Options

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

README = (REPO / "README.md").read_text(encoding="utf-8")


def walk(command, path: tuple[str, ...] = ()):
    if hasattr(command, "commands"):  # a group (Typer's groups are not click.Group)
        for name, sub in command.commands.items():
            yield from walk(sub, path + (name,))
    else:
        yield path, command


COMMANDS = list(walk(typer.main.get_command(app)))


def test_cli_has_the_commands_the_issues_name():
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"ingest", "articles", "show", "errors", "export articles"} <= names


@pytest.mark.parametrize("path", [" ".join(p) for p, _ in COMMANDS])
def test_every_command_is_documented_with_an_example(path):
    assert re.search(rf"storyline {re.escape(path)}\b", README), f"README has no example of `storyline {path}`"


@pytest.mark.parametrize(
    "path,option",
    [
        (" ".join(p), opt)
        for p, cmd in COMMANDS
        for param in cmd.params
        if getattr(param, "param_type_name", "") == "option"
        for opt in param.opts
        if opt.startswith("--") and opt != "--help"
    ],
)
def test_every_command_option_is_documented(path, option):
    assert option in README, f"README does not mention {option} of `storyline {path}`"


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(Options)])
def test_every_setting_is_documented(name):
    assert f"`{name}`" in README, f"README's settings table does not list `{name}`"

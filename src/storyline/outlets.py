"""The outlets registry: one list of publications, their domains and other spellings.

Built in: `storyline/data/outlets.yaml`; a user's own file (`Options.outlets_file`,
`--outlets`) comes first. Used by the HTML and feed readers' outlet names (through the
`metadata` stage), by the URL fallback and by fingerprints of pasted pages.

`canonical(name)` maps any spelling to the registry's name: the name or an alias, case
aside, or the same letters ("DW.COM", "the guardian"), or a bare domain of a known outlet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from storyline.errors import E, StorylineError


def name_key(name: str) -> str:
    """Letters and digits only, a leading "the" and a trailing web suffix dropped: "The Guardian" → "guardian"."""
    key = re.sub(r"\.(com|org|net|co\.uk|co|uk|de|fr|eu|info|io|news)$", "", name.strip().casefold())
    key = re.sub(r"^the\s+", "", key)
    return re.sub(r"[\W_]+", "", key)


@dataclass
class Outlet:
    name: str
    domains: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    fingerprints: list[list[re.Pattern]] = field(default_factory=list)


class OutletRegistry:
    def __init__(self, outlets: list[Outlet]):
        self.outlets = outlets
        self._names = {}
        self._keys = {}
        for outlet in reversed(outlets):  # earlier entries (the user's) win
            for name in [outlet.name, *outlet.aliases]:
                self._names[name.casefold()] = outlet.name
                if name_key(name):
                    self._keys[name_key(name)] = outlet.name

    @classmethod
    def load(cls, user_file: str | None = None) -> "OutletRegistry":
        entries = []
        if user_file:
            path = Path(user_file)
            if not path.is_file():
                raise StorylineError(E.BAD_OPTION, option="outlets_file", detail=f"no such file {user_file}")
            entries += parse_entries(path.read_text(encoding="utf-8"), str(path))
        builtin = resources.files("storyline").joinpath("data/outlets.yaml").read_text(encoding="utf-8")
        entries += parse_entries(builtin, "storyline/data/outlets.yaml")
        return cls(entries)

    def canonical(self, name: str) -> str:
        """The registry's name for any spelling of a known outlet; other names unchanged."""
        found = self._names.get(name.casefold()) or self._keys.get(name_key(name))
        if found:
            return found
        if re.fullmatch(r"(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+", name.strip().lower()):
            return self.by_host(name.strip().lower()) or name
        return name

    def names(self) -> dict[str, str]:
        """Every spelling the registry knows (names and aliases) → its outlet's name, for
        matchers that look for outlets named in text."""
        return {spelling: outlet.name for outlet in reversed(self.outlets)
                for spelling in [outlet.name, *outlet.aliases]}

    def by_host(self, host: str) -> str | None:
        host = host.lower().split(":")[0]
        for outlet in self.outlets:
            for domain in outlet.domains:
                if host == domain or host.endswith("." + domain):
                    return outlet.name
        return None

    def by_fingerprint(self, lines: list[str]) -> str | None:
        for outlet in self.outlets:
            for patterns in outlet.fingerprints:
                if all(any(p.search(line) for line in lines) for p in patterns):
                    return outlet.name
        return None


def parse_entries(text: str, where: str) -> list[Outlet]:
    try:
        data = yaml.safe_load(text) or []
    except yaml.YAMLError as exc:
        raise StorylineError(E.BAD_OPTION, option="outlets_file", detail=f"{where}: {exc}") from None
    if not isinstance(data, list):
        raise StorylineError(E.BAD_OPTION, option="outlets_file", detail=f"{where}: expected a list of outlets")
    outlets = []
    for entry in data:
        if not isinstance(entry, dict) or not entry.get("name"):
            raise StorylineError(E.BAD_OPTION, option="outlets_file", detail=f"{where}: every entry needs a name")
        try:
            fingerprints = [[re.compile(p) for p in (fp if isinstance(fp, list) else [fp])]
                            for fp in entry.get("fingerprints") or []]
        except re.error as exc:
            raise StorylineError(E.BAD_OPTION, option="outlets_file",
                                 detail=f"{where}: bad fingerprint for {entry['name']}: {exc}") from None
        outlets.append(Outlet(str(entry["name"]), [d.lower() for d in entry.get("domains") or []],
                              [str(a) for a in entry.get("aliases") or []], fingerprints))
    return outlets

"""The actor registry: one row per person, organisation or outlet across the ledger.

Names are matched through `normalize_name` (casefold, no accents, dots or hyphens:
"J.D. Vance" = "JD Vance") and `variant_key`, a transliteration-blind key (y/i/iy/ii
endings, ks/x, c/k, z/s, doubled letters, a small table of first-name variants), so
"Zelensky", "Zelenskyy" and "Zelenskiy" are one actor, as are "Marenco" and "Marenko". A
full name also joins the one person of the same first name whose surname is one letter
apart (a spelling variant, kept as an alias). A surname alone joins the only actor of
that surname; a full name later upgrades a surname-only actor to its full name. An
organisation or outlet never joins a person through a part of the person's name.

The registry is written by a store save hook (`register_article`), inside the
article's transaction, which also sets each `Statement.actor_id` and the statement
clusters. User edits (merge, split, alias, import) are marked origin `user` / `file`;
automatic building never renames, retypes or re-points them, so they survive re-ingest.
"""

from __future__ import annotations

import csv
import re
import sqlite3
from pathlib import Path

from storyline.errors import E, NotFoundError, StorylineError
from storyline.ledger import store as store_module
from storyline.ledger.clusters import CLUSTER_THRESHOLD, cluster_article, recluster  # noqa: F401
from storyline.model import Article



# --- names ----------------------------------------------------------------------------------

# Name keys live in storyline.names (pure, shared with speaker resolution); re-exported here.
from storyline.names import lexicon, normalize_name, token_jaccard, variant_key  # noqa: E402,F401

# --- lookups --------------------------------------------------------------------------------

def _follow(conn: sqlite3.Connection, actor_id: int) -> int:
    seen = set()
    while actor_id not in seen:
        seen.add(actor_id)
        row = conn.execute("SELECT merged_into FROM actors WHERE id=?", (actor_id,)).fetchone()
        if row is None or row[0] is None:
            return actor_id
        actor_id = row[0]
    return actor_id


def find_actor(conn: sqlite3.Connection, ref: str) -> sqlite3.Row:
    """An actor by id, name or alias (following merges), or NotFoundError."""
    row = None
    if str(ref).isdigit():
        row = conn.execute("SELECT id FROM actors WHERE id=?", (int(ref),)).fetchone()
    if row is None:
        row = conn.execute("SELECT id FROM actors WHERE name=? COLLATE NOCASE", (ref,)).fetchone()
    if row is None:
        row = conn.execute(
            "SELECT a.actor_id AS id FROM actor_aliases a JOIN actors b ON b.id=a.actor_id WHERE a.norm=? "
            "ORDER BY a.origin != 'user', a.origin != 'file', b.merged_into IS NOT NULL, a.actor_id LIMIT 1",
            (normalize_name(ref),),
        ).fetchone()
    if row is None:
        raise NotFoundError(E.NOT_FOUND_ID, what="actor", id=ref)
    actor_id = _follow(conn, row[0])
    return conn.execute("SELECT * FROM actors WHERE id=?", (actor_id,)).fetchone()


class _Index:
    """In-memory lookups over the registry for one store (built once, kept in step)."""

    def __init__(self, conn: sqlite3.Connection):
        self.norm: dict[str, list[tuple[int, str]]] = {}
        self.variant: dict[str, set[int]] = {}
        self.surname: dict[str, set[int]] = {}
        self.first_last: dict[str, set[int]] = {}
        self.types: dict[int, str] = {}
        self.actor_keys: dict[int, set[str]] = {}  # variant keys of each actor's aliases
        for row in conn.execute("SELECT id, type FROM actors WHERE merged_into IS NULL"):
            self.types[row[0]] = row[1]
        for row in conn.execute("SELECT norm, alias, actor_id, origin FROM actor_aliases"):
            self.add(row[0], row[1], row[2], row[3])

    def keys_of(self, actor_id: int) -> set[str]:
        return self.actor_keys.get(actor_id, set())

    def add(self, norm: str, alias: str, actor_id: int, origin: str) -> None:
        self.norm.setdefault(norm, []).append((actor_id, origin))
        key = variant_key(alias)
        self.variant.setdefault(key, set()).add(actor_id)
        self.actor_keys.setdefault(actor_id, set()).add(key)
        parts = key.split()
        if self.types.get(actor_id) == "person" and parts:
            self.surname.setdefault(parts[-1], set()).add(actor_id)
            if len(parts) > 2:
                self.first_last.setdefault(f"{parts[0]} {parts[-1]}", set()).add(actor_id)


def actor_index(store) -> _Index:
    index = getattr(store, "_actor_index", None)
    if index is None:
        index = _Index(store.conn)
        store._actor_index = index
    return index


def _drop_index(store) -> None:
    if hasattr(store, "_actor_index"):
        del store._actor_index


def _live(conn: sqlite3.Connection, ids) -> set[int]:
    return {_follow(conn, i) for i in ids}


def _part_of_a_person(conn: sqlite3.Connection, actor_id: int, name: str) -> bool:
    """The actor is a person known by a longer name than `name` ("Ostmark" is only a part
    of "Veloria Ostmark"): an organisation or outlet of that name is someone else."""
    row = conn.execute("SELECT name, type, origin FROM actors WHERE id=?", (actor_id,)).fetchone()
    return row is not None and row[1] == "person" and row[2] == "auto" and \
        len(normalize_name(row[0]).split()) > len(normalize_name(name).split())


def lookup(conn: sqlite3.Connection, index: _Index, name: str, type_: str) -> int | None:
    """The registry actor a name refers to, or None when unknown or ambiguous.

    A country, organisation or outlet never joins a person through a surname."""
    norm = normalize_name(name)

    def kind_ok(ids: set[int]) -> set[int]:
        return ids if type_ == "person" else {a for a in ids if not _part_of_a_person(conn, a, name)}

    exact = index.norm.get(norm, [])
    if exact:
        ranked = sorted(exact, key=lambda x: (x[1] not in ("user", "file"), x[0]))
        preferred = [a for a, origin in ranked if origin in ("user", "file")]
        ids = kind_ok(_live(conn, preferred or [a for a, _ in ranked]))
        if len(ids) == 1:
            return ids.pop()
    key = variant_key(name)
    ids = kind_ok(_live(conn, index.variant.get(key, ())))
    if len(ids) == 1:
        return ids.pop()
    if type_ != "person" or not key:
        return None
    parts = key.split()
    if len(parts) == 1:
        ids = _live(conn, index.surname.get(parts[0], ()))
        return ids.pop() if len(ids) == 1 else None
    ids = _live(conn, index.first_last.get(f"{parts[0]} {parts[-1]}", set()) |
                {a for a in index.variant.get(f"{parts[0]} {parts[-1]}", ())})
    if len(ids) == 1:
        return ids.pop()
    # A full name joins an actor known so far only by its surname.
    ids = {a for a in _live(conn, index.surname.get(parts[-1], ()))
           if len(conn.execute("SELECT name FROM actors WHERE id=?", (a,)).fetchone()[0].split()) == 1}
    if len(ids) == 1:
        return ids.pop()
    # A spelling variant the rules above miss: the same first name and a surname one letter
    # apart ("Greta Ilves" / "Greta Ilvess"), when only one person fits.
    ids = set()
    for surname, actors in index.surname.items():
        if len(surname) >= 5 and len(parts[-1]) >= 5 and _one_edit(surname, parts[-1]):
            ids |= {a for a in actors if index.types.get(a) == "person" and
                    any(f"{parts[0]} {surname}" == k or k.startswith(f"{parts[0]} ") and k.endswith(f" {surname}")
                        for k in index.keys_of(a))}
    ids = _live(conn, ids)
    return ids.pop() if len(ids) == 1 else None


def _one_edit(a: str, b: str) -> bool:
    """The two words differ by one letter substituted, added or dropped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


# --- the save hook --------------------------------------------------------------------------

def _add_alias(conn, index: _Index | None, actor_id: int, alias: str, origin: str) -> None:
    norm = normalize_name(alias)
    if not norm:
        return
    cur = conn.execute("INSERT OR IGNORE INTO actor_aliases(norm, alias, actor_id, origin) VALUES (?,?,?,?)",
                       (norm, alias, actor_id, origin))
    if cur.rowcount and index is not None:
        index.add(norm, alias, actor_id, origin)


def _create(conn, index: _Index, name: str, type_: str, affiliation: str | None, origin: str = "auto") -> int:
    row = conn.execute("SELECT id FROM actors WHERE name=?", (name,)).fetchone()
    if row:
        return _follow(conn, row[0])
    cur = conn.execute("INSERT INTO actors(name, type, affiliation, origin, created_at) VALUES (?,?,?,?,?)",
                       (name, type_, affiliation, origin, store_module.now()))
    index.types[cur.lastrowid] = type_
    _add_alias(conn, index, cur.lastrowid, name, origin)
    return cur.lastrowid


def resolve_actor(store, name: str, type_: str, affiliation: str | None = None) -> int:
    """The actor id for a canonical speaker name, created when new (origin auto)."""
    conn, index = store.conn, actor_index(store)
    actor_id = lookup(conn, index, name, type_)
    if actor_id is None:
        return _create(conn, index, name, type_, affiliation)
    row = conn.execute("SELECT name, origin, affiliation, type FROM actors WHERE id=?", (actor_id,)).fetchone()
    if row["origin"] == "auto" and row["type"] != type_:
        # The type most of its statements were given wins ("Veloria" read once as a person).
        counts = dict(conn.execute("SELECT speaker_type, COUNT(*) FROM statements WHERE actor_id=? GROUP BY 1",
                                   (actor_id,)).fetchall())
        counts[type_] = counts.get(type_, 0) + 1
        best = max(counts, key=lambda t: (counts[t], t == type_))
        if best != row["type"] and best in ("person", "organization", "media"):
            conn.execute("UPDATE actors SET type=? WHERE id=?", (best, actor_id))
            index.types[actor_id] = best
    if row["origin"] == "auto":
        # The fullest form wins: a surname-only actor takes the full name when it comes.
        if len(name.split()) > len(row["name"].split()) and type_ == "person":
            taken = conn.execute("SELECT id FROM actors WHERE name=?", (name,)).fetchone()
            if taken is None:
                conn.execute("UPDATE actors SET name=? WHERE id=?", (name, actor_id))
        if affiliation and (not row["affiliation"] or (len(affiliation) > len(row["affiliation"]) and
                                                       normalize_name(affiliation).endswith(
                                                           " " + normalize_name(row["affiliation"])))):
            # the first affiliation seen, or its fuller name ("Council" -> "Northern Seas Council")
            conn.execute("UPDATE actors SET affiliation=? WHERE id=?", (affiliation, actor_id))
    _add_alias(conn, index, actor_id, name, "auto")
    return actor_id


def _record_role(conn, actor_id: int, role: str, affiliation: str | None, date: str | None, article_id: str) -> None:
    conn.execute(
        """INSERT INTO actor_roles(actor_id, role, affiliation, first_seen, last_seen, article_id)
           VALUES (?,?,?,?,?,?)
           ON CONFLICT(actor_id, role) DO UPDATE SET
             affiliation = COALESCE(actor_roles.affiliation, excluded.affiliation),
             first_seen = CASE WHEN actor_roles.first_seen IS NULL OR excluded.first_seen < actor_roles.first_seen
                               THEN excluded.first_seen ELSE actor_roles.first_seen END,
             last_seen = CASE WHEN actor_roles.last_seen IS NULL OR excluded.last_seen > actor_roles.last_seen
                              THEN excluded.last_seen ELSE actor_roles.last_seen END""",
        (actor_id, role, affiliation, date, date, article_id),
    )


@store_module.on_save
def register_article(store, article: Article) -> None:
    """Save hook: link each statement to its actor (creating actors), record roles,
    use the registry's canonical name, and cluster the statement with its other reports."""
    conn = store.conn
    date = (article.published or "")[:10] or None
    for s in article.statements:
        if not s.speaker or s.speaker_type not in ("person", "organization", "media") or \
                (s.speaker_type == "person" and " and " in s.speaker):  # two people speaking together
            s.actor_id = None
            continue
        actor_id = resolve_actor(store, s.speaker, s.speaker_type, s.speaker_affiliation)
        s.actor_id = actor_id
        s.speaker = conn.execute("SELECT name FROM actors WHERE id=?", (actor_id,)).fetchone()[0]
        short = _short_form(s)
        if short:  # "the FTC" resolved to "Federal Trade Commission": later articles' "FTC" is that body
            _add_alias(conn, actor_index(store), actor_id, short, "auto")
        if s.speaker_role:
            _record_role(conn, actor_id, s.speaker_role, s.speaker_affiliation, date, article.id)
    cluster_article(conn, article)


def _short_form(s) -> str | None:
    """The abbreviation or short name a body's statement was written with ("the FTC",
    "the Fed"), when the article resolved it to the body's full name."""
    from storyline.names import abbreviates, is_acronym

    if s.speaker_type != "organization" or s.speaker_mention is None:
        return None
    short = re.sub(r"^(the|The)\s+", "", s.speaker_mention.text.strip())
    if " " in short or not (is_acronym(short) or short[:1].isupper()) or not abbreviates(short, s.speaker):
        return None
    return short


# --- user edits -----------------------------------------------------------------------------

def _as_dict(conn, row: sqlite3.Row) -> dict:
    return {
        "id": row["id"], "name": row["name"], "type": row["type"], "affiliation": row["affiliation"],
        "origin": row["origin"],
        "aliases": [r[0] for r in conn.execute("SELECT alias FROM actor_aliases WHERE actor_id=? ORDER BY alias",
                                               (row["id"],))],
        "statements": conn.execute("SELECT COUNT(*) FROM statements WHERE actor_id=?", (row["id"],)).fetchone()[0],
    }


def list_actors(conn: sqlite3.Connection) -> list[dict]:
    rows = conn.execute("SELECT * FROM actors WHERE merged_into IS NULL ORDER BY name").fetchall()
    out = [_as_dict(conn, r) for r in rows]
    out.sort(key=lambda a: (-a["statements"], a["name"]))
    return out


def show_actor(conn: sqlite3.Connection, ref: str) -> dict:
    row = find_actor(conn, ref)
    info = _as_dict(conn, row)
    info["aliases"] = [dict(r) for r in conn.execute(
        "SELECT alias, origin FROM actor_aliases WHERE actor_id=? ORDER BY alias", (row["id"],))]
    info["roles"] = [dict(r) for r in conn.execute(
        "SELECT role, affiliation, first_seen, last_seen, article_id FROM actor_roles WHERE actor_id=? "
        "ORDER BY first_seen, role", (row["id"],))]
    return info


def _repoint_by_name(conn, actor_id: int, name: str) -> None:
    """Statements whose speaker is `name` (any spelling of it) now point to `actor_id`."""
    canonical = conn.execute("SELECT name FROM actors WHERE id=?", (actor_id,)).fetchone()[0]
    norm = normalize_name(name)
    rows = conn.execute("SELECT id, speaker, speaker_text FROM statements WHERE speaker IS NOT NULL").fetchall()
    ids = [r["id"] for r in rows if normalize_name(r["speaker"]) == norm]
    conn.executemany("UPDATE statements SET actor_id=?, speaker=? WHERE id=?", [(actor_id, canonical, i) for i in ids])


def _merge_rows(conn: sqlite3.Connection, keep: int, other: int, origin: str) -> None:
    """Actor `other` becomes part of `keep`: aliases (its name included), roles and
    statements move; the row stays, marked merged, so its name keeps resolving."""
    name, keep_name = (conn.execute("SELECT name FROM actors WHERE id=?", (i,)).fetchone()[0] for i in (other, keep))
    conn.execute("UPDATE actor_aliases SET origin=? WHERE actor_id=?", (origin, other))
    conn.execute("UPDATE OR IGNORE actor_aliases SET actor_id=? WHERE actor_id=?", (keep, other))
    conn.execute("DELETE FROM actor_aliases WHERE actor_id=?", (other,))
    conn.execute("INSERT OR IGNORE INTO actor_aliases(norm, alias, actor_id, origin) VALUES (?,?,?,?)",
                 (normalize_name(name), name, keep, origin))
    conn.execute("UPDATE OR IGNORE actor_roles SET actor_id=? WHERE actor_id=?", (keep, other))
    conn.execute("DELETE FROM actor_roles WHERE actor_id=?", (other,))
    conn.execute("UPDATE statements SET actor_id=?, speaker=? WHERE actor_id=?", (keep, keep_name, other))
    conn.execute("UPDATE actors SET merged_into=?, origin=? WHERE id=?", (keep, origin, other))


def merge_actors(store, into: str, other: str) -> dict:
    """Merge actor `other` into `into`: aliases, roles and statements move to `into`."""
    conn = store.conn
    with store.transaction():
        a, b = find_actor(conn, into), find_actor(conn, other)
        if a["id"] == b["id"]:
            raise StorylineError(E.BAD_OPTION, option="actors merge", detail=f"{into!r} and {other!r} are the same actor")
        _merge_rows(conn, a["id"], b["id"], "user")
        conn.execute("UPDATE actors SET origin='user' WHERE id=? AND origin='auto'", (a["id"],))
        recluster(conn, a["id"])
    _drop_index(store)
    return _as_dict(conn, find_actor(conn, str(a["id"])))


def split_actor(store, ref: str, alias: str) -> dict:
    """Make `alias` of an actor its own actor, taking the statements made under that name."""
    conn = store.conn
    norm = normalize_name(alias)
    with store.transaction():
        old = find_actor(conn, ref)
        has = conn.execute("SELECT alias FROM actor_aliases WHERE actor_id=? AND norm=?", (old["id"], norm)).fetchone()
        if has is None:
            raise StorylineError(E.BAD_OPTION, option="ALIAS", detail=f"{alias!r} is not an alias of {old['name']!r}; "
                                 f"see `storyline actors show {old['id']}`")
        if norm == normalize_name(old["name"]):
            raise StorylineError(E.BAD_OPTION, option="ALIAS", detail=f"{alias!r} is the actor's own name")
        conn.execute("DELETE FROM actor_aliases WHERE actor_id=? AND norm=?", (old["id"], norm))
        name = has["alias"]
        existing = conn.execute("SELECT id FROM actors WHERE name=?", (name,)).fetchone()
        if existing:  # a former merge: revive it
            new_id = existing["id"]
            conn.execute("UPDATE actors SET merged_into=NULL, origin='user' WHERE id=?", (new_id,))
        else:
            cur = conn.execute("INSERT INTO actors(name, type, affiliation, origin, created_at) VALUES (?,?,?,?,?)",
                               (name, old["type"], old["affiliation"], "user", store_module.now()))
            new_id = cur.lastrowid
        conn.execute("INSERT OR REPLACE INTO actor_aliases(norm, alias, actor_id, origin) VALUES (?,?,?, 'user')",
                     (norm, name, new_id))
        conn.execute("UPDATE actors SET origin='user' WHERE id=? AND origin='auto'", (old["id"],))
        rows = conn.execute("SELECT id, speaker_text FROM statements WHERE actor_id=?", (old["id"],)).fetchall()
        key = variant_key(name)
        moved = [r["id"] for r in rows if r["speaker_text"] and
                 (norm in normalize_name(r["speaker_text"]) or key in variant_key(r["speaker_text"]))]
        conn.executemany("UPDATE statements SET actor_id=?, speaker=? WHERE id=?", [(new_id, name, i) for i in moved])
        recluster(conn, old["id"])
        recluster(conn, new_id)
    _drop_index(store)
    return _as_dict(conn, find_actor(conn, str(new_id)))


def add_alias(store, ref: str, alias: str, origin: str = "user") -> dict:
    """Add `alias` to an actor; user aliases win over automatic ones on the same name."""
    conn = store.conn
    norm = normalize_name(alias)
    if not norm:
        raise StorylineError(E.BAD_OPTION, option="ALIAS", detail="empty alias")
    with store.transaction():
        actor = find_actor(conn, ref)
        conn.execute("DELETE FROM actor_aliases WHERE norm=? AND origin='auto' AND actor_id != ?", (norm, actor["id"]))
        conn.execute("INSERT OR REPLACE INTO actor_aliases(norm, alias, actor_id, origin) VALUES (?,?,?,?)",
                     (norm, alias, actor["id"], origin))
        conn.execute("UPDATE actors SET origin=? WHERE id=? AND origin='auto'", (origin, actor["id"]))
        _repoint_by_name(conn, actor["id"], alias)
        recluster(conn, actor["id"])
    _drop_index(store)
    return _as_dict(conn, find_actor(conn, str(actor["id"])))


def remove_alias(store, ref: str, alias: str) -> None:
    """Remove a user alias from an actor (undoes `add_alias`; statements keep their actor)."""
    with store.transaction():
        actor = find_actor(store.conn, ref)
        store.conn.execute("DELETE FROM actor_aliases WHERE actor_id=? AND norm=? AND origin='user'",
                           (actor["id"], normalize_name(alias)))
    _drop_index(store)


def _read_import(path: Path) -> list[dict]:
    if not path.exists():
        raise StorylineError(E.NOT_FOUND, source=str(path))
    text = path.read_text(encoding="utf-8")
    records: list[dict] = []
    if path.suffix.lower() == ".csv":
        for row in csv.DictReader(text.splitlines()):
            aliases = re.split(r"[;|]", row.get("aliases") or "")
            records.append({"canonical": (row.get("canonical") or row.get("name") or "").strip(),
                            "aliases": [a.strip() for a in aliases if a.strip()],
                            "type": (row.get("type") or "").strip() or None,
                            "affiliation": (row.get("affiliation") or "").strip() or None})
    else:
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise StorylineError(E.BAD_JSON, source=str(path), detail=str(exc)) from exc
        if isinstance(data, dict):
            data = data.get("actors", [data])
        for item in data or []:
            if not isinstance(item, dict):
                raise StorylineError(E.BAD_JSON, source=str(path), detail=f"expected a mapping, got {item!r}")
            records.append({"canonical": str(item.get("canonical") or item.get("name") or "").strip(),
                            "aliases": [str(a) for a in item.get("aliases") or []],
                            "type": item.get("type"), "affiliation": item.get("affiliation")})
    for n, r in enumerate(records, 1):
        if not r["canonical"]:
            raise StorylineError(E.BAD_JSON, source=f"{path} (record {n})", detail="no 'canonical' name")
        if r["type"] and r["type"] not in ("person", "organization", "media"):
            raise StorylineError(E.BAD_JSON, source=f"{path} (record {n})",
                                 detail=f"type {r['type']!r}; use person, organization or media")
    return records


def import_actors(store, file: str | Path) -> int:
    """Import canonical names and aliases (YAML list or CSV). Origin `file`; survives re-ingest."""
    records = _read_import(Path(file))
    conn = store.conn
    with store.transaction():
        for r in records:
            names = [r["canonical"], *r["aliases"]]
            found: list[int] = []
            for name in names:
                try:
                    actor_id = find_actor(conn, name)["id"]
                except NotFoundError:
                    continue
                if actor_id not in found:
                    found.append(actor_id)
            if found:
                keep = found[0]
                for other in found[1:]:
                    _merge_rows(conn, keep, other, "file")
                taken = conn.execute("SELECT id FROM actors WHERE name=? AND id != ?", (r["canonical"], keep)).fetchone()
                if taken:  # the canonical name is held by a merged-away row: free it (its aliases moved)
                    conn.execute("UPDATE actors SET name=? WHERE id=?", (f"{r['canonical']} (merged into {keep})",
                                                                         taken[0]))
                conn.execute("UPDATE actors SET name=?, origin='file', type=COALESCE(?, type), "
                             "affiliation=COALESCE(?, affiliation) WHERE id=?",
                             (r["canonical"], r["type"], r["affiliation"], keep))
            else:
                cur = conn.execute("INSERT INTO actors(name, type, affiliation, origin, created_at) VALUES (?,?,?,?,?)",
                                   (r["canonical"], r["type"] or "person", r["affiliation"], "file", store_module.now()))
                keep = cur.lastrowid
            for name in names:
                norm = normalize_name(name)
                conn.execute("DELETE FROM actor_aliases WHERE norm=? AND origin='auto' AND actor_id != ?", (norm, keep))
                conn.execute("INSERT OR REPLACE INTO actor_aliases(norm, alias, actor_id, origin) VALUES (?,?,?, 'file')",
                             (norm, name, keep))
            conn.execute("UPDATE statements SET speaker=? WHERE actor_id=?", (r["canonical"], keep))
            for name in names:
                _repoint_by_name(conn, keep, name)
            recluster(conn, keep)
    _drop_index(store)
    return len(records)

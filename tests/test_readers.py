"""Readers: every input format, every bad input gives a specific error and the batch goes on.

All texts are about invented people and places (Veloria, Ostmark, Port Alder).
"""

from __future__ import annotations

import io
import json
import os
import sys
import tracemalloc

import pytest

from storyline.model import RawDocument
from storyline.readers import InputFailure, iter_inputs
from storyline.settings import Options

ARTICLE = (
    "Velorian envoy warns talks could collapse\n\n"
    "PORT ALDER — Velorian Foreign Minister Ilse Varga said on Tuesday that the harbour talks "
    "could collapse within days unless the detained fishermen were released.\n\n"
    "“We have waited long enough,” Varga told reporters on the quay.\n"
)


def read(sources, **options):
    return list(iter_inputs([str(s) for s in sources], Options(**options)))


def only(results):
    assert len(results) == 1, results
    return results[0]


def failure_code(result) -> str:
    assert isinstance(result, InputFailure), result
    return result.error.code


# ---- text files and encodings ------------------------------------------------------------

def test_txt_file_becomes_one_document_named_by_its_file(tmp_path):
    path = tmp_path / "003_varga.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    doc = only(read([path]))
    assert isinstance(doc, RawDocument)
    assert doc.doc == "003_varga.txt" and doc.source == str(path)
    assert doc.text == ARTICLE and doc.encoding == "utf-8" and doc.format == "text"
    assert doc.published is None and doc.outlet is None  # readers never guess


def test_empty_file_fails_with_empty(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n\t \n")
    results = read([tmp_path / "empty.txt", tmp_path / "blank.txt"])
    assert [failure_code(r) for r in results] == ["EMPTY", "EMPTY"]


def test_binary_file_fails_with_binary(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x00\x01\x02\x03binary\x00\xff\xfe\x00" * 200)
    result = only(read([path]))
    assert failure_code(result) == "BINARY"
    assert "photo.txt" in str(result.error)


def test_pdf_named_txt_says_what_it_is(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    result = only(read([path]))
    assert failure_code(result) == "BINARY" and "PDF" in str(result.error)


CYRILLIC = ("Министр иностранных дел Остмарка Ильза Варга заявила во вторник, что переговоры в "
            "Порт-Алдере зашли в тупик. «Мы не приехали сюда спорить», — сказала она журналистам.")
LATIN1 = ("Le ministre vélorien a déclaré mardi à Port Alder que la trêve était « fragile ». "
          "Señor Ibáñez, maire de Tarn, a salué l'accord: « Voilà une étape importante ».")


@pytest.mark.parametrize("encoding, text, expected", [
    ("cp1251", CYRILLIC, "cp1251"),
    ("latin-1", LATIN1, None),
    ("utf-16", ARTICLE + CYRILLIC, "utf-16"),
    ("utf-8-sig", ARTICLE + CYRILLIC, "utf-8"),
])
def test_legacy_and_bom_encodings_decode_to_the_right_text(tmp_path, encoding, text, expected):
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode(encoding))
    doc = only(read([path]))
    assert isinstance(doc, RawDocument), doc
    assert doc.text == text
    if expected:
        assert doc.encoding.replace("_", "-").startswith(expected)
    else:  # latin-1 bytes: any Western code page that reads them right
        assert doc.encoding in ("cp1252", "latin_1", "iso8859_15")


def test_bytes_no_encoding_fits_fail_with_decode(tmp_path):
    import random

    rng = random.Random(7)
    path = tmp_path / "garbled.txt"
    path.write_bytes(bytes(rng.randrange(128, 256) for _ in range(3000)))
    result = only(read([path]))
    assert failure_code(result) == "DECODE" and "UTF-8" in str(result.error)


def test_file_over_max_bytes_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # a sparse 50 MB file
        handle.truncate(50 * 1024 * 1024)
    tracemalloc.start()
    result = only(read([path], max_bytes=10 * 1024 * 1024))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert failure_code(result) == "TOO_LARGE"
    assert "10485760" in str(result.error) and "52428800" in str(result.error)
    assert peak < 5 * 1024 * 1024  # the 50 MB were never read


def test_not_found_path_fails_and_later_inputs_still_load(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    results = read([tmp_path / "missing.txt", good])
    assert failure_code(results[0]) == "NOT_FOUND"
    assert isinstance(results[1], RawDocument)


def test_unknown_extension_given_explicitly_is_sniffed_as_text(tmp_path):
    path = tmp_path / "notes.dat"
    path.write_text(ARTICLE)
    doc = only(read([path]))
    assert isinstance(doc, RawDocument) and doc.text == ARTICLE


def test_unknown_binary_extension_given_explicitly_is_unsupported(tmp_path):
    path = tmp_path / "scan.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    assert failure_code(only(read([path]))) == "UNSUPPORTED"


# ---- directories ------------------------------------------------------------------------------

def test_directory_is_read_recursively_sorted_with_include_and_exclude(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text(ARTICLE + "z")
    (tmp_path / "a.txt").write_text(ARTICLE + "a")
    (tmp_path / "b" / "draft.txt").write_text(ARTICLE + "draft")
    (tmp_path / "image.jpg").write_bytes(b"\xff\xd8\xff" + b"\x00" * 10)  # not included: skipped silently
    (tmp_path / ".hidden.txt").write_text(ARTICLE)
    results = read([tmp_path], exclude=("*draft*",))
    assert [r.doc for r in results] == ["a.txt", "z.txt"]
    assert all(isinstance(r, RawDocument) for r in results)


def test_broken_symlink_in_directory_fails_as_unreadable_and_the_rest_loads(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    os.symlink(tmp_path / "gone.txt", tmp_path / "b.txt")
    (tmp_path / "c.txt").write_text(ARTICLE + "more")
    results = read([tmp_path])
    assert isinstance(results[0], RawDocument) and isinstance(results[2], RawDocument)
    assert failure_code(results[1]) == "UNREADABLE" and results[1].source.endswith("b.txt")


def test_explicit_broken_symlink_is_unreadable_not_missing(tmp_path):
    os.symlink(tmp_path / "gone.txt", tmp_path / "link.txt")
    assert failure_code(only(read([tmp_path / "link.txt"]))) == "UNREADABLE"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read chmod 000 files")
def test_permission_denied_file_in_directory_is_unreadable(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    locked = tmp_path / "locked.txt"
    locked.write_text(ARTICLE)
    locked.chmod(0)
    try:
        results = read([tmp_path])
        assert isinstance(results[0], RawDocument)
        assert failure_code(results[1]) == "UNREADABLE"
    finally:
        locked.chmod(0o644)


def test_directory_named_like_a_file_is_read_as_a_directory(tmp_path):
    folder = tmp_path / "looks_like.txt"
    folder.mkdir()
    (folder / "inner.txt").write_text(ARTICLE)
    assert only(read([folder])).doc == "inner.txt"


def test_directory_without_matching_files_fails_as_empty(tmp_path):
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    assert failure_code(only(read([tmp_path]))) == "EMPTY"


# ---- HTML -------------------------------------------------------------------------------------

PARAGRAPHS = "".join(
    f"<p>Paragraph {i}: Ostmark Foreign Minister Ilse Varga said the ceasefire in the Saltmarsh "
    f"was holding and that monitors from the Northern Seas Council had reported no incidents.</p>\n"
    for i in range(1, 6)
)


def html_page(head: str = "", body: str = PARAGRAPHS) -> str:
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Page</title>{head}</head>"
            f"<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>Varga: ceasefire is "
            f"holding</h1>{body}</article><footer>© 2026 Example</footer></body></html>")


def test_html_article_gives_body_title_outlet_and_meta_dates(tmp_path):
    head = ("<meta property='og:site_name' content='Northline'>"
            "<meta property='og:title' content='Varga: ceasefire is holding'>"
            "<meta property='article:published_time' content='2026-03-05T10:30:00+01:00'>"
            "<meta property='article:modified_time' content='2026-03-06T08:00:00+01:00'>"
            "<meta name='author' content='Maren Holt'>")
    path = tmp_path / "page.html"
    path.write_text(html_page(head))
    doc = only(read([path]))
    assert isinstance(doc, RawDocument) and doc.format == "html"
    assert doc.text.startswith("Varga: ceasefire is holding")
    assert "Paragraph 5: Ostmark Foreign Minister" in doc.text and "Home" not in doc.text
    assert doc.outlet == "Northline" and doc.authors == ["Maren Holt"]
    assert doc.published == "2026-03-05T10:30:00+01:00" and doc.published_method == "html-meta"
    assert doc.updated == "2026-03-06T08:00:00+01:00"


def test_html_date_from_json_ld_when_no_meta_tag(tmp_path):
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Varga: ceasefire is holding",
          "datePublished": "2026-05-12T07:00:00+02:00", "publisher": {"@type": "Organization", "name": "Carrow Courier"}}
    path = tmp_path / "page.html"
    path.write_text(html_page(f"<script type='application/ld+json'>{json.dumps(ld)}</script>"))
    doc = only(read([path]))
    assert doc.published == "2026-05-12T07:00:00+02:00" and doc.published_method == "json-ld"
    assert doc.outlet == "Carrow Courier" and doc.updated is None


def test_html_without_article_body_fails_with_no_body(tmp_path):
    path = tmp_path / "index.html"
    path.write_text("<html><head><title>Login</title></head><body><nav><a href='/'>Home</a></nav>"
                    "<form><input name='user'><button>Sign in</button></form></body></html>")
    result = only(read([path]))
    assert failure_code(result) == "NO_BODY"


def test_broken_html_does_not_crash(tmp_path):
    path = tmp_path / "broken.html"
    path.write_text("<html><body><div><p>Velorian fishermen <b>returned <i>home</p></div><table><tr><td>"
                    + PARAGRAPHS[:400] + "<<<>>></sc" + "\x00" * 3)
    result = only(read([path]))
    assert isinstance(result, (RawDocument, InputFailure))
    if isinstance(result, InputFailure):
        assert result.error.code in ("NO_BODY", "BINARY")


# ---- feeds ---------------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Veloria Wire – Northern Seas</title><link>https://example.org/vw</link>
<copyright>© 2026 Veloria Wire</copyright>
<item><title>Kesh: no deal without the fishermen</title><link>https://example.org/vw/1</link>
<pubDate>Tue, 03 Mar 2026 14:05:00 +0100</pubDate><author>desk@example.org (Jonah Marsh)</author>
<content:encoded><![CDATA[<p>SARN, March 3 (Veloria Wire) — Anton Kesh said any deal must bring the crew home.</p>
<p>“They are not bargaining chips,” he said.</p>]]></content:encoded></item>
<item><title>Monitors arrive in the Saltmarsh</title><link>https://example.org/vw/2</link>
<pubDate>Fri, 06 Mar 2026 09:00:00 +0100</pubDate>
<description>The first Council monitors crossed into the marsh on Friday.</description></item>
</channel></rss>"""


def test_rss_feed_gives_one_document_per_entry(tmp_path):
    path = tmp_path / "wire.xml"
    path.write_text(RSS)
    first, second = read([path])
    assert first.source == f"{path}#entry-1" and first.doc == "https://example.org/vw/1"
    assert first.url == "https://example.org/vw/1" and first.format == "feed"
    assert first.outlet == "Veloria Wire"
    assert first.published == "2026-03-03T14:05:00+01:00" and first.published_method == "feed"
    assert first.text.startswith("Kesh: no deal without the fishermen\n\nSARN, March 3")
    assert "“They are not bargaining chips,” he said." in first.text and "<p>" not in first.text
    assert second.text.endswith("The first Council monitors crossed into the marsh on Friday.")


def test_atom_feed_is_read(tmp_path):
    path = tmp_path / "northline.atom"
    path.write_text("""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Northline</title><id>urn:x</id><updated>2026-03-27T16:30:00Z</updated>
<entry><title>Fifteen detainees cross Carrow bridge</title><link href="https://example.org/nl/1"/><id>urn:1</id>
<published>2026-03-27T16:30:00Z</published><updated>2026-03-27T18:00:00Z</updated><author><name>Maren Holt</name></author>
<content type="html">&lt;p&gt;Nine fishermen walked across the bridge on Friday.&lt;/p&gt;</content></entry></feed>""")
    doc = only(read([path]))
    assert doc.outlet == "Northline" and doc.authors == ["Maren Holt"]
    assert doc.published.startswith("2026-03-27T16:30:00") and doc.updated.startswith("2026-03-27T18:00")
    assert doc.text.endswith("Nine fishermen walked across the bridge on Friday.")


def test_malformed_feed_fails_with_bad_feed(tmp_path):
    path = tmp_path / "broken.rss"
    path.write_text("<?xml version='1.0'?><rss><channel><title>Wire</title><<item>>broken</rss")
    assert failure_code(only(read([path]))) == "BAD_FEED"


# ---- JSON and JSON Lines ---------------------------------------------------------------------------

def test_jsonl_malformed_line_fails_alone_and_other_records_load(tmp_path):
    path = tmp_path / "export.jsonl"
    lines = [
        json.dumps({"title": "Varga opens summit", "text": ARTICLE, "url": "https://example.org/a",
                    "published": "2026-03-03", "outlet": "Veloria Wire", "author": "Jonah Marsh"}),
        '{"title": "broken", "text": "unterminated',
        json.dumps({"headline": "Kesh walks out", "body": "Anton Kesh left the Customs House early."}),
    ]
    path.write_text("\n".join(lines) + "\n")
    first, bad, third = read([path])
    assert first.source == f"{path}#L1" and first.doc == "https://example.org/a"
    assert first.published == "2026-03-03" and first.published_method == "json-field"
    assert first.outlet == "Veloria Wire" and first.authors == ["Jonah Marsh"]
    assert failure_code(bad) == "BAD_JSON" and bad.source == f"{path}#L2"
    assert "Unterminated string" in str(bad.error)
    assert third.source == f"{path}#L3" and third.title == "Kesh walks out"
    assert third.text == "Kesh walks out\n\nAnton Kesh left the Customs House early."


def test_json_record_without_text_fails_with_json_no_text(tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps({"title": "No body here", "url": "https://example.org/x"}) + "\n")
    result = only(read([path]))
    assert failure_code(result) == "JSON_NO_TEXT" and "--json-field" in str(result.error)


def test_json_fields_option_maps_the_users_field_names(tmp_path):
    path = tmp_path / "export.json"
    path.write_text(json.dumps([{"story": "Ostmark recalled its ambassador from Sarn.", "paper": "Ostmark Herald",
                                 "when": "2026-04-13T09:00:00+02:00"}]))
    doc = only(read([path], json_fields={"story": "text", "paper": "outlet", "when": "published"}))
    assert doc.text == "Ostmark recalled its ambassador from Sarn."
    assert doc.outlet == "Ostmark Herald" and doc.published == "2026-04-13T09:00:00+02:00"
    assert doc.source == f"{path}#item-1"


def test_json_date_that_cannot_be_read_is_kept_raw_not_guessed(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"text": "The talks resumed.", "date": "last Tuesday"}))
    doc = only(read([path]))
    assert doc.published is None and doc.meta["published_raw"] == "last Tuesday"


# ---- stdin ---------------------------------------------------------------------------------------

class FakeStdin:
    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)


def test_stdin_text(monkeypatch):
    monkeypatch.setattr(sys, "stdin", FakeStdin(ARTICLE.encode()))
    doc = only(read(["-"]))
    assert doc.source == "stdin" and doc.text == ARTICLE


def test_stdin_json_lines_are_sniffed(monkeypatch):
    data = "\n".join(json.dumps({"text": f"Record {i} about the Port Alder talks."}) for i in range(3))
    monkeypatch.setattr(sys, "stdin", FakeStdin(data.encode()))
    results = read(["-"])
    assert [r.source for r in results] == ["stdin#L1", "stdin#L2", "stdin#L3"]


def test_permission_error_while_reading_is_unreadable_and_the_rest_loads(tmp_path, monkeypatch):
    """The same as chmod 000 for a non-root user, simulated so it also runs as root."""
    from pathlib import Path

    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "locked.txt").write_text(ARTICLE)
    real_open = Path.open

    def guarded_open(self, *args, **kwargs):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded_open)
    first, second = read([tmp_path])
    assert isinstance(first, RawDocument)
    assert failure_code(second) == "UNREADABLE" and "Permission denied" in str(second.error)


def test_named_pipe_in_directory_is_unreadable_not_a_hang(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    os.mkfifo(tmp_path / "pipe.txt")
    first, second = read([tmp_path])
    assert isinstance(first, RawDocument)
    assert failure_code(second) == "UNREADABLE" and "regular file" in str(second.error)


def test_html_meta_date_in_another_format_is_normalised_to_iso(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(html_page("<meta property='article:published_time' content='Thu, 05 Mar 2026 10:30:00 +0100'>"))
    doc = only(read([path]))
    assert doc.published == "2026-03-05T10:30:00+01:00" and doc.published_method == "html-meta"


def test_odd_source_strings_fail_cleanly():
    results = read(["", "bad\x00name.txt"])
    assert [failure_code(r) for r in results] == ["NOT_FOUND", "NOT_FOUND"]


def test_json_source_field_holding_a_link_is_a_url_not_an_outlet(tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"text": "The talks resumed.", "source": "https://example.org/story"}) + "\n")
    doc = only(read([path]))
    assert doc.outlet is None and doc.url == "https://example.org/story" and doc.doc == doc.url


def test_html_live_blog_keeps_page_order(tmp_path):
    posts = "".join(f"<div class='post'><time>1{i}:00</time><p>Update {i}: Ilse Varga told reporters in Port Alder "
                    f"that the talks on the Saltmarsh were continuing into the evening.</p></div>" for i in range(4))
    path = tmp_path / "live.html"
    path.write_text(f"<html><head><title>Summit live</title></head><body><article><h1>Summit live</h1>"
                    f"<p>The summit continues in Port Alder with both delegations at the table today.</p>"
                    f"<h2>4 March 2026</h2>{posts}</article></body></html>")
    doc = only(read([path]))
    order = [doc.text.find(marker) for marker in ("Summit live", "The summit continues", "4 March 2026",
                                                   "Update 0:", "Update 1:", "Update 3:")]
    assert all(p >= 0 for p in order) and order == sorted(order), doc.text


def test_saved_web_page_named_txt_is_read_as_html(tmp_path):
    path = tmp_path / "saved.txt"
    path.write_text(html_page())
    doc = only(read([path]))
    assert doc.format == "html" and "<p>" not in doc.text and "Paragraph 1: Ostmark" in doc.text


def test_utf16_without_bom_is_recognised_for_cyrillic_and_latin(tmp_path):
    for name, text in (("ru.txt", CYRILLIC), ("en.txt", ARTICLE)):
        path = tmp_path / name
        path.write_bytes(text.encode("utf-16-le"))
        doc = only(read([path]))
        assert isinstance(doc, RawDocument) and doc.text == text and doc.encoding == "utf-16-le"


def test_an_unexpected_error_on_one_file_does_not_end_the_folder(tmp_path, monkeypatch):
    import storyline.readers.html as html_reader

    (tmp_path / "a.html").write_text(html_page())
    (tmp_path / "b.txt").write_text(ARTICLE)

    def explode(*args, **kwargs):
        raise RuntimeError("library bug")

    monkeypatch.setattr(html_reader, "read_html", explode)
    first, second = read([tmp_path])
    assert failure_code(first) == "UNREADABLE" and "library bug" in str(first.error)
    assert isinstance(second, RawDocument) and second.doc == "b.txt"


def test_folder_walk_skips_a_json_file_of_annotations_with_a_clear_reason(tmp_path):
    (tmp_path / "story.txt").write_text("Velorian Foreign Minister Ilse Varga said the talks would resume.\n")
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "statements.jsonl").write_text(
        '{"doc": "story.txt", "text": "the talks would resume", "kind": "indirect", "speaker": "Ilse Varga"}\n'
    )
    items = list(iter_inputs([str(tmp_path)], Options()))
    docs = [i for i in items if not isinstance(i, InputFailure)]
    failures = [i for i in items if isinstance(i, InputFailure)]
    assert [d.doc for d in docs] == ["story.txt"]
    assert [f.error.code for f in failures] == ["NOT_ARTICLES"]
    assert "--json-field" in failures[0].error.message


def test_a_json_file_of_annotations_named_explicitly_is_still_read(tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text('{"doc": "a.txt", "text": "Varga said the border would stay open.", "kind": "indirect"}\n')
    items = list(iter_inputs([str(path)], Options()))
    assert [type(i).__name__ for i in items] == ["RawDocument"]


def test_folder_walk_reads_a_jsonl_article_export_even_with_a_label_field(tmp_path):
    (tmp_path / "export.jsonl").write_text(
        '{"title": "Talks resume", "text": "Varga said it.", "label": "politics", "kind": "news"}\n'
    )
    items = list(iter_inputs([str(tmp_path)], Options()))
    assert [type(i).__name__ for i in items] == ["RawDocument"]


# --- issue 15: file names, extensions, skipped files, JSON edge values ----------------------

def test_a_file_name_that_is_not_utf8_is_read_under_a_printable_name(tmp_path):
    (tmp_path / "ok.txt").write_text(ARTICLE, encoding="utf-8")
    odd = os.path.join(os.fsencode(tmp_path), b"bad\xff.txt")
    with open(odd, "wb") as fh:
        fh.write(ARTICLE.replace("Tuesday", "Wednesday").encode("utf-8"))
    items = read([tmp_path])
    assert len(items) == 2 and all(isinstance(i, RawDocument) for i in items), items
    for item in items:
        item.source.encode("utf-8")  # storable: no surrogate escapes left
    assert sorted(i.doc for i in items) == ["bad\\xff.txt", "ok.txt"]


def test_a_folder_with_an_odd_file_name_is_stored_whole(tmp_path):
    from storyline.ingest import ingest

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text(ARTICLE, encoding="utf-8")
    with open(os.path.join(os.fsencode(folder), b"\xff.txt"), "wb") as fh:
        fh.write(ARTICLE.replace("Tuesday", "Friday").encode("utf-8"))
    report = ingest([str(folder)], Options(db=str(tmp_path / "l.db")), stages=["segment", "metadata", "language"])
    assert report.stored == 2 and report.failed == 0


def test_extensions_match_whatever_their_case_and_markdown_is_read(tmp_path):
    for name in ("UPPER.TXT", "page.HTML", "notes.md", "story.Txt"):
        text = ARTICLE.replace("Tuesday", name)
        if name.endswith("HTML"):
            text = f"<html><body><article><p>{text}</p></article></body></html>"
        (tmp_path / name).write_text(text, encoding="utf-8")
    items = read([tmp_path])
    assert sorted(i.doc for i in items if isinstance(i, RawDocument)) == \
        ["UPPER.TXT", "notes.md", "page.HTML", "story.Txt"], items


def test_every_file_a_folder_walk_leaves_out_is_counted(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(ARTICLE, encoding="utf-8")
    skipped: list[str] = []
    items = list(iter_inputs([str(tmp_path)], Options(), skipped))
    assert len(items) == 1
    assert sorted(os.path.basename(s.rstrip("/")) for s in skipped) == [".git", ".hidden.txt", "photo.jpg"]


@pytest.mark.parametrize("value", ["1e20", "NaN", "Infinity", "-Infinity", "1e15", '"33658-01-01"', "-1e300"])
def test_an_unreadable_date_keeps_the_raw_value_and_every_line_is_read(tmp_path, value):
    lines = [json.dumps({"text": ARTICLE, "published": "2026-03-03"}),
             '{"text": ' + json.dumps(ARTICLE.replace("Tuesday", "Monday")) + ', "published": ' + value + '}',
             json.dumps({"text": ARTICLE.replace("Tuesday", "Friday"), "published": "2026-03-05"})]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read([path])
    assert [type(i).__name__ for i in items] == ["RawDocument"] * 3, items
    assert items[1].published is None and "published_raw" in items[1].meta  # kept, never guessed


def test_deep_nesting_fails_its_line_alone(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    path = tmp_path / "deep.jsonl"
    path.write_text(json.dumps({"text": ARTICLE}) + "\n" + '{"text": "x", "extra": ' + deep + "}\n"
                    + json.dumps({"text": ARTICLE.replace("Tuesday", "Friday")}) + "\n", encoding="utf-8")
    items = read([path])
    assert [type(i).__name__ for i in items] == ["RawDocument", "InputFailure", "RawDocument"]
    assert failure_code(items[1]) == "BAD_JSON" and items[1].source.endswith("#L2")


def test_a_nul_byte_fails_its_json_line_alone(tmp_path):
    path = tmp_path / "nul.jsonl"
    path.write_bytes(json.dumps({"text": ARTICLE}).encode() + b"\n" + b'{"text": "bad\x00line"}\n'
                     + json.dumps({"text": ARTICLE.replace("Tuesday", "Friday")}).encode() + b"\n")
    items = read([path])
    assert [type(i).__name__ for i in items] == ["RawDocument", "InputFailure", "RawDocument"], items
    assert failure_code(items[1]) == "BAD_JSON"


def test_a_line_separator_inside_a_json_string_does_not_split_the_line(tmp_path):
    path = tmp_path / "sep.jsonl"
    path.write_text(json.dumps({"text": ARTICLE + "\u2028Signed, the envoy."}, ensure_ascii=False) + "\n"
                    + json.dumps({"text": ARTICLE.replace("Tuesday", "Friday")}) + "\n", encoding="utf-8")
    items = read([path])
    assert [type(i).__name__ for i in items] == ["RawDocument", "RawDocument"], items
    assert items[1].source.endswith("#L2")

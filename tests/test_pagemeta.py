"""What a web page says about itself: headline, outlet, authors and local dates.

Pages and names are fictional (Veloria, Ostmark); each test checks one general mechanism
of `readers/pagemeta.py` or of the HTML reader that uses it.
"""

from __future__ import annotations

import json

import pytest

from storyline.readers.html import read_html
from storyline.readers.pagemeta import (
    choose_headline,
    clean_author,
    clean_authors,
    domain_label,
    later,
    spells_domain,
    strip_title,
    to_local,
)
from storyline.readers.sitenames import (
    copyright_names, microdata_publishers, own_host, site_of_publisher, without_descriptor,
)

PARA = ("Ostmark Foreign Minister Ilse Varga said on Friday that the ceasefire in the Carrow Saltmarsh was "
        "holding, a week after it took effect, and that talks would resume in Port Alder next month.")


def page(head: str = "", body: str = "", ld: dict | None = None) -> str:
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld else ""
    return (f"<html><head>{head}{script}</head><body>{body}<article>"
            + "".join(f"<p>{PARA} Paragraph {i}.</p>" for i in range(4)) + "</article></body></html>")


# ---- the site's names ----------------------------------------------------------------------

def test_domain_label_drops_subdomains_and_country_suffixes():
    assert domain_label("edition.sarn-courier.co.uk") == "sarncourier"
    assert domain_label("www.portalder.com") == "portalder"
    assert domain_label("velorian-notes.blogspot.com") == "veloriannotes"


def test_a_name_spells_its_domain_whole_in_part_or_by_initials():
    assert spells_domain("The Sarn Courier", "sarncourier")
    assert spells_domain("Port Alder Morning Post", "pamp")
    assert not spells_domain("Port Alder Morning Post", "pam")
    assert not spells_domain("World", "sarncourier")


def test_title_loses_site_name_section_and_date_segments():
    names = ["Sarn Courier"]
    assert strip_title("Ceasefire holds in the saltmarsh | World | Sarn Courier", names, "sarncourier") == \
        "Ceasefire holds in the saltmarsh"
    assert strip_title("Ceasefire holds in the saltmarsh | SC | 19.01.2026", [], "sc") == "Ceasefire holds in the saltmarsh"
    assert strip_title("Sarn Courier » Blog Archive » Ceasefire holds", [], "sarncourier") == "Ceasefire holds"


def test_dash_inside_a_headline_is_kept_when_no_segment_names_the_site():
    assert strip_title("Varga wins the vote – for now", [], "sarncourier") == "Varga wins the vote – for now"


def test_h1_that_agrees_with_the_declared_title_is_the_headline():
    h1s = [("Sarn Courier", []), ("Varga says the saltmarsh ceasefire is holding after a week", [])]
    title, method = choose_headline(h1s, None, "Saltmarsh ceasefire holding, Varga says | Sarn Courier",
                                    "Saltmarsh ceasefire holding, Varga says", ["Sarn Courier"], "sarncourier")
    assert (title, method) == ("Varga says the saltmarsh ceasefire is holding after a week", "h1")


def test_h1_holding_a_fly_title_element_gives_the_headline_inside_it():
    h1s = [("Open LedgerWhy the saltmarsh talks matter", ["Open Ledger", "Why the saltmarsh talks matter"])]
    title, _ = choose_headline(h1s, "Why the saltmarsh talks matter", None, None, [], None)
    assert title == "Why the saltmarsh talks matter"


def test_logo_h1_is_not_the_headline():
    title, method = choose_headline([("Sarn Courier", [])], None, "Ceasefire holds | Sarn Courier", None,
                                    ["Sarn Courier"], "sarncourier")
    assert (title, method) == ("Ceasefire holds", "title")


# ---- authors ---------------------------------------------------------------------------------

@pytest.mark.parametrize("raw,people", [
    ("Milan O&#039;Dara", ["Milan O'Dara"]),
    ("Rada Kell, Sarn Courier", ["Rada Kell"]),
    ("By Ivo Marek And Lena Brandt For The Sunday Ledger", ["Ivo Marek", "Lena Brandt"]),
    ("Ana Petrov, Senior Political Correspondent", ["Ana Petrov"]),
    ("Ana Petrov Sarn Courier Staff", ["Ana Petrov"]),
    ("By Tomas Reyk, Jana Volk, 7 News Sarn", ["Tomas Reyk", "Jana Volk"]),
    ("By Tomas Reyk, March 3, 2026 4:10 pm", ["Tomas Reyk"]),
    ("Posted by T. K. Laslo at 2:33 PM", ["T. K. Laslo"]),
    ("Ryan Merrow, CEO", ["Ryan Merrow"]),
    ("Pell Arno Jr.", ["Pell Arno Jr."]),
    ("Joe S.", ["Joe S."]),
    ("Author: Mira Sand (ms)", ["Mira Sand"]),
    ("No Author", []),
    ("Staff Writer", []),
    ("Veloria Wire Service", []),
    ("SARNTEAM", []),
    ("by SCN", []),
    ("AP", []),
    ("https://www.sarncourier.com/author/rk/", []),
    ("@sarncourier", []),
    ("By Tomas Reyk / Sarn Courier", ["Tomas Reyk"]),
    ("Jana Volk/Tomas Reyk", ["Jana Volk", "Tomas Reyk"]),
    ("By Jana Volk@JanaV Jul 3, 2026, 4:22am", ["Jana Volk"]),
    ("Jana Volk jv@sarn-courier.co.uk", ["Jana Volk"]),
    ("Jana Volk • 5 min read", ["Jana Volk"]),
    ("Jana Volk Twitter", ["Jana Volk"]),
    ("Jana Volk is a reporter at the Sarn Courier", ["Jana Volk"]),
    ("Words: Jana Volk", ["Jana Volk"]),
    ("Jana Volk, Ph.D.", ["Jana Volk"]),
    ("Sarn Courier Editorial Board", []),
    ("By Jana Volk, Sarn Courier Business", ["Jana Volk"]),
    ("By Sunrise the talks had resumed", []),
    ("By Jana de la Volk", ["Jana de la Volk"]),
    ("By Jana Volk in Port Alder and Tomas Reyk in Sarn", ["Jana Volk", "Tomas Reyk"]),
    ("By Jana Volk and Tomas Reyk of the Sarn Courier", ["Jana Volk", "Tomas Reyk"]),
    ("Contributors: Jana Volk, Tomas Reyk", ["Jana Volk", "Tomas Reyk"]),
    ("Jana Volk und Tomas Reyk", ["Jana Volk", "Tomas Reyk"]),
])
def test_author_strings_become_people(raw, people):
    assert clean_author(raw, ["Sarn Courier"], "sarncourier") == people


def test_a_person_whose_site_bears_their_name_is_still_an_author():
    assert clean_author("By Mira Sand", ["Mira Sand Notes"], "mirasand") == ["Mira Sand"]
    assert clean_author("By Mira Sand", ["Mira"], "mira") == ["Mira Sand"]  # a one-word site name is no outlet prefix
    assert clean_author("Maria Col·lell", [], None) == ["Maria Col·lell"]  # a middle dot inside a name is no separator
    assert clean_author("Ana May, March 3, 2026", [], None) == ["Ana May"]  # a surname, not the month


def test_the_same_person_named_twice_is_kept_once_in_full():
    assert clean_authors(["Ana", "Ana Petrov"], [], None) == ["Ana Petrov"]


def test_printed_byline_wins_and_names_every_author():
    html = page('<meta name="author" content="Jana Volk">',
                '<h1>Ceasefire holds in the saltmarsh</h1><div class="byline">By <a rel="author">Jana Volk</a> '
                'and <a rel="author">Tomas Reyk</a>, Sarn Courier</div>')
    doc = read_html(html, "x.html", "x.html", url="https://www.sarncourier.com/a")
    assert doc.authors == ["Jana Volk", "Tomas Reyk"] and doc.meta["authors_method"] == "html-byline"


def test_comment_authors_are_not_the_article_authors():
    html = page("", '<h1>Ceasefire holds</h1><div class="comments"><span class="comment-author">Pell Arno</span></div>')
    assert read_html(html, "x.html", "x.html").authors == []


def test_organisation_author_in_json_ld_gives_way_to_the_printed_line():
    ld = {"@type": "NewsArticle", "headline": "Ceasefire holds", "author": {"@type": "Organization", "name": "Sarn Courier"}}
    html = page("", "<h1>Ceasefire holds</h1><p>By Nadia Tollan</p>", ld)
    doc = read_html(html, "x.html", "x.html", url="https://sarncourier.com/a")
    assert doc.authors == ["Nadia Tollan"] and doc.meta["authors_method"] == "text-byline"


def test_json_ld_author_reference_is_resolved_in_the_graph():
    ld = {"@graph": [{"@type": "NewsArticle", "headline": "Ceasefire holds", "author": {"@id": "#p1"}},
                     {"@type": "Person", "@id": "#p1", "name": "Jana Volk"}]}
    assert read_html(page("", "<h1>Ceasefire holds</h1>", ld), "x.html", "x.html").authors == ["Jana Volk"]


def test_json_ld_written_with_type_instead_of_at_type_is_still_read():
    ld = {"@context": "http://schema.org", "type": "Article", "headline": "Ceasefire holds",
          "author": {"@type": "Person", "name": "Jana Volk"}}
    doc = read_html(page("", "<h1>Ceasefire holds</h1>", ld), "x.html", "x.html", url="https://sarncourier.com/a")
    assert doc.authors == ["Jana Volk"] and doc.meta["authors_method"] == "json-ld"


def test_a_single_name_counts_after_posted_by_but_not_after_a_bare_by():
    posted = page("", "<h1>Ceasefire holds in the saltmarsh</h1><p>Posted by Ilvo 21.10.2026</p>")
    assert read_html(posted, "x.html", "x.html", url="https://saltmarsh-notes.example/a").authors == ["Ilvo"]
    bare = page("", "<h1>Ceasefire holds in the saltmarsh</h1><p>By Sunrise the talks had resumed</p>")
    assert read_html(bare, "x.html", "x.html", url="https://saltmarsh-notes.example/a").authors == []


@pytest.mark.parametrize("byline", [
    '<p>By <span itemprop="author">Jana Volk</span> and <span itemprop="author">Tomas Reyk</span></p>',
    '<p class="meta">By <a rel="author" href="/p/jv">Jana Volk</a> and <a rel="author" href="/p/tr">Tomas Reyk</a></p>',
])
def test_every_author_marked_the_same_way_beside_the_first_is_kept(byline):
    doc = read_html(page("", "<h1>Ceasefire holds in the saltmarsh</h1>" + byline), "x.html", "x.html",
                    url="https://www.sarncourier.com/a")
    assert doc.authors == ["Jana Volk", "Tomas Reyk"] and doc.meta["authors_method"] == "html-byline"


def test_posted_on_a_date_by_a_writer_is_a_byline():
    html = page("", '<h1>Ceasefire holds in the saltmarsh</h1><p class="post-meta">Posted on March 3, 2026 by Jana Volk</p>')
    doc = read_html(html, "x.html", "x.html", url="https://www.sarncourier.com/a")
    assert doc.authors == ["Jana Volk"] and doc.meta["authors_method"] == "text-byline"


def test_a_byline_printed_above_the_headline_counts_when_none_follows_it():
    html = page("", '<p class="kicker">By Jana Volk</p><h1>Ceasefire holds in the saltmarsh</h1>')
    doc = read_html(html, "x.html", "x.html", url="https://www.sarncourier.com/a")
    assert doc.authors == ["Jana Volk"] and doc.meta["authors_method"] == "text-byline"
    after = page("", '<p>By Jana Volk</p><h1>Ceasefire holds in the saltmarsh</h1><p>By Tomas Reyk</p>')
    assert read_html(after, "x.html", "x.html", url="https://www.sarncourier.com/a").authors == ["Tomas Reyk"]


def bio_page(note: str, head: str = "") -> str:
    return (f"<html><head>{head}</head><body><h1>Make your stall shine on market day</h1><article>"
            + "".join(f"<p>{PARA} Paragraph {i}.</p>" for i in range(4)) + note + "</article></body></html>")


def test_italic_note_closing_a_column_names_its_writer():
    html = bio_page("<p><em>Mira Sand is the founder of a Port Alder design studio that helps market traders.</em></p>")
    doc = read_html(html, "x.html", "x.html", url="https://www.sarncourier.com/a")
    assert doc.authors == ["Mira Sand"] and doc.meta["authors_method"] == "closing-bio"


@pytest.mark.parametrize("note", [
    "<p>Ilse Varga is the director of the Port Alder harbour authority, which runs the market.</p>",  # not italic: a source
    "<p><em>Photo: the market at dawn, as seen from the harbour wall in Port Alder.</em></p>",  # no name "is a"
])
def test_other_closing_paragraphs_name_no_writer(note):
    assert read_html(bio_page(note), "x.html", "x.html", url="https://www.sarncourier.com/a").authors == []


def test_closing_note_does_not_override_a_declared_author():
    html = bio_page("<p><em>Mira Sand is the founder of a Port Alder design studio that helps market traders.</em></p>",
                    '<meta name="author" content="Tomas Reyk">')
    assert read_html(html, "x.html", "x.html", url="https://www.sarncourier.com/a").authors == ["Tomas Reyk"]


# ---- outlet ----------------------------------------------------------------------------------

def test_section_in_og_site_name_loses_to_the_publisher_that_spells_the_domain():
    ld = {"@type": "NewsArticle", "headline": "Ceasefire holds", "publisher": {"@type": "Organization", "name": "Sarn Courier"}}
    html = page('<meta property="og:site_name" content="World"><title>Ceasefire holds | Sarn Courier</title>',
                "<h1>Ceasefire holds</h1>", ld)
    doc = read_html(html, "x.html", "x.html", url="https://www.sarncourier.com/world/a")
    assert doc.outlet == "Sarn Courier"


def test_tagline_and_url_are_not_outlet_names_but_the_title_suffix_is():
    html = page('<meta property="og:site_name" content="News and views on www.portalderdaily.com">'
                "<title>Ceasefire holds – Port Alder Daily</title>", "<h1>Ceasefire holds</h1>")
    doc = read_html(html, "x.html", "x.html", url="https://portalderdaily.com/a")
    assert doc.outlet == "Port Alder Daily" and doc.meta["outlet_method"] == "title-suffix"


def test_outlet_named_in_the_page_text_when_metadata_has_none():
    html = page("<title>Ceasefire holds</title>", "<h1>Ceasefire holds</h1><footer>© 2026 Port Alder Daily</footer>")
    doc = read_html(html, "x.html", "x.html", url="https://portalderdaily.com/a")
    assert doc.outlet == "Port Alder Daily"


def test_copyright_line_names_the_site_by_the_words_that_spell_its_domain():
    assert copyright_names("Contact us. Port Alder Daily © 2026. All rights reserved.", "portalderdaily") == ["Port Alder Daily"]
    assert copyright_names("Copyright © 1998 - 2026 Sarn Courier Media Ltd. All rights", "sarncourier") == ["Sarn Courier"]
    assert copyright_names("© 2026 Veloria Printing Company", "sarncourier") == []  # a holder that is not the site
    assert copyright_names("© 2026 SarnCourier.com. This site", "sarncourier") == []  # a bare domain is no name


def test_copyright_name_beats_a_title_suffix_with_a_place_when_the_logo_spells_the_domain():
    html = page("<title>Ceasefire holds | Port Alder Daily News - Port Alder, Veloria</title>",
                '<img class="site-logo" alt="PortAlderDaily.com" src="/l.png"><h1>Ceasefire holds</h1>'
                "<footer>Port Alder Daily © 2026. All rights reserved.</footer>")
    doc = read_html(html, "x.html", "x.html", url="https://portalderdaily.com/a")
    assert doc.outlet == "Port Alder Daily" and doc.meta["outlet_method"] == "copyright"


def test_microdata_publisher_is_a_declared_outlet_name():
    body = ('<div itemscope itemtype="https://schema.org/NewsArticle"><h1 itemprop="headline">Ceasefire holds</h1>'
            '<div itemprop="publisher" itemscope itemtype="https://schema.org/Organization">'
            '<meta itemprop="name" content="Sarn Courier"></div></div>')
    html = page('<meta property="og:site_name" content="World">', body)
    from trafilatura.utils import load_html

    assert microdata_publishers(load_html(html)) == ["Sarn Courier"]
    doc = read_html(html, "x.html", "x.html", url="https://www.sarncourier.com/world/a")
    assert doc.outlet == "Sarn Courier" and doc.meta["outlet_method"] == "microdata-publisher"


def test_a_blog_its_publisher_names_is_the_publication_but_an_edition_is_not():
    assert site_of_publisher("Sarn Courier Engineering Blog", "Sarn Courier")
    assert not site_of_publisher("Sarn Courier Living UK", "Sarn Courier")
    assert not site_of_publisher("Sarn Courier", "Sarn Courier")
    ld = {"@type": "BlogPosting", "headline": "Ceasefire holds", "publisher": {"@type": "Organization", "name": "Sarn Courier"}}
    for site, outlet in (("Sarn Courier Engineering Blog", "Sarn Courier Engineering Blog"), ("Sarn Courier Living UK", "Sarn Courier")):
        html = page(f'<meta property="og:site_name" content="{site}">', "<h1>Ceasefire holds</h1>", ld)
        assert read_html(html, "x.html", "x.html", url="https://www.sarncourier.com/a").outlet == outlet


@pytest.mark.parametrize("declared", ["Sarn Courier | Port Alder, Veloria", "Sarn Courier – Port Alder",
                                      "Sarn Courier: Veloria News, Weather and Sports", "Sarn Courier - Veloria's news since 1901"])
def test_place_or_tagline_after_the_declared_site_name_is_dropped(declared):
    html = page(f'<meta property="og:site_name" content="{declared}">', "<h1>Ceasefire holds in the saltmarsh</h1>")
    assert read_html(html, "x.html", "x.html", url="https://sarncourier.com/a").outlet == "Sarn Courier"


def test_a_dash_inside_a_name_that_does_not_spell_the_domain_is_kept():
    assert without_descriptor("Port Alder – Daily", "sarncourier") == "Port Alder – Daily"
    assert without_descriptor("Sarn Courier, Port Alder", "sarncourier") == "Sarn Courier"


def test_image_linking_home_names_the_site_but_one_linking_a_section_does_not():
    for href, outlet in (("/", "Sarn Courier"), ("https://www.sarncourier.com/", "Sarn Courier"), ("/world/", None)):
        html = page("<title>Ceasefire holds in the saltmarsh</title>",
                    f'<a href="{href}"><img src="/img/brand.png" alt="Sarn Courier"></a><h1>Ceasefire holds in the saltmarsh</h1>')
        assert read_html(html, "x.html", "x.html", url="https://www.sarncourier.com/a").outlet == outlet


def test_the_sites_own_host_comes_from_its_links_not_its_cdn():
    from trafilatura.utils import load_html

    assets = "".join(f'<img src="https://cdn.velorastatic.net/i{i}.png">' for i in range(8))
    links = "".join(f'<a href="https://www.sarncourier.com/s{i}/">s</a>' for i in range(3))
    assert own_host(load_html(page("", assets + links))) == "sarncourier.com"
    assert own_host(load_html(page("", assets))) == "cdn.velorastatic.net"  # links name no host: the assets do


# ---- dates -----------------------------------------------------------------------------------

def test_utc_timestamp_is_shown_at_the_pages_own_offset():
    assert to_local("2026-04-22T04:11:44+00:00", -360) == "2026-04-21T22:11:44-06:00"
    assert to_local("2026-04-22T04:11:44+02:00", -360) == "2026-04-22T04:11:44+02:00"  # not UTC: kept
    assert to_local("2026-04-22", -360) == "2026-04-22"


def test_update_counts_only_when_later():
    assert later("2026-04-22T10:00:00+00:00", "2026-04-22T09:00:00+00:00")
    assert not later("2026-04-21T22:00:00-06:00", "2026-04-22T04:00:00+00:00")  # the same moment
    assert not later("2026-04-20", "2026-04-22")


def test_evening_story_keeps_the_outlets_local_day():
    head = ('<meta property="article:published_time" content="2026-01-17T00:30:41+00:00">'
            '<meta property="article:modified_time" content="2026-01-16T23:00:00+00:00">')
    body = ('<h1>Ceasefire holds</h1><time datetime="2026-01-16T16:30:41-08:00">January 16</time>'
            '<script>var stamps = {"created": "2026-01-16T16:30:41-08:00"};</script>')
    doc = read_html(page(head, body), "x.html", "x.html")
    assert doc.published == "2026-01-16T16:30:41-08:00" and "-08:00" in doc.meta["local_time"]
    assert doc.updated is None  # earlier than publication: not an update


def test_one_stray_timestamp_does_not_move_the_date():
    head = '<meta property="article:published_time" content="2026-01-17T00:30:41+00:00">'
    body = '<h1>Ceasefire holds</h1><script>var ad = "2026-01-01T00:00:00-08:00";</script>'
    assert read_html(page(head, body), "x.html", "x.html").published == "2026-01-17T00:30:41+00:00"


# ---- body ------------------------------------------------------------------------------------

def test_json_ld_article_body_replaces_a_caption_only_extraction(monkeypatch):
    import storyline.readers.html as html_reader

    class CaptionOnly:  # what trafilatura returns on a page whose text lives in its JSON-LD
        def as_dict(self):
            return {"text": PARA}

    monkeypatch.setattr(html_reader.trafilatura, "bare_extraction", lambda *a, **k: CaptionOnly())
    declared = "\n".join(f"{PARA} Declared paragraph {i}." for i in range(12))
    ld = {"@type": "NewsArticle", "headline": "Ceasefire holds", "articleBody": declared}
    doc = read_html(page("", "<h1>Ceasefire holds</h1>", ld), "x.html", "x.html")
    assert "Declared paragraph 11." in doc.text and doc.meta["body_method"] == "json-ld-articleBody"
    assert doc.text.count("\n") >= 11  # one paragraph per line, as declared


def test_trafilatura_text_is_kept_when_the_declared_body_is_not_much_longer():
    ld = {"@type": "NewsArticle", "headline": "Ceasefire holds", "articleBody": PARA}
    doc = read_html(page("", "<h1>Ceasefire holds</h1>", ld), "x.html", "x.html")
    assert doc.meta["body_method"] == "trafilatura" and "Paragraph 3." in doc.text


def test_short_other_half_of_a_headline_title_names_a_site_without_other_names():
    html = page("<title>Notes on the saltmarsh tides - tidewatcher</title>", "<h1>Notes on the saltmarsh tides</h1>")
    doc = read_html(html, "x.html", "x.html")  # no URL, no og:site_name, no publisher
    assert doc.outlet == "tidewatcher" and doc.title == "Notes on the saltmarsh tides"


def test_baseline_extraction_replaces_a_list_article_trafilatura_cut_short(monkeypatch):
    import storyline.readers.html as html_reader

    class FirstItemOnly:
        def as_dict(self):
            return {"text": PARA}

    monkeypatch.setattr(html_reader.trafilatura, "bare_extraction", lambda *a, **k: FirstItemOnly())
    items = "".join(f"<p>{PARA} Costume idea {i}.</p>" for i in range(15))
    html = f"<html><body><h1>Fifteen saltmarsh costumes</h1><article>{items}</article></body></html>"
    doc = read_html(html, "x.html", "x.html")
    assert "Costume idea 14." in doc.text and doc.meta["body_method"] == "trafilatura-baseline"


def test_author_page_links_name_the_authors():
    html = page("", '<h1>Ceasefire holds</h1><p>Words: <a href="/author/jana-volk/">Jana Volk</a> and '
                    '<a href="/author/tomas-reyk/">Tomas Reyk</a></p>'
                    '<nav><a href="/authors/">Authors</a></nav>')
    assert read_html(html, "x.html", "x.html").authors == ["Jana Volk", "Tomas Reyk"]


def test_a_headline_that_begins_with_a_short_domain_name_is_not_the_site():
    assert not spells_domain("Tide turns in the saltmarsh talks", "tide")
    assert spells_domain("TIDE", "tide") and spells_domain("Tide Weekly", "tide")
    assert strip_title("Tide turns in the saltmarsh talks | Politics | TIDE", ["TIDE"], "tide") == \
        "Tide turns in the saltmarsh talks"
    assert strip_title("News of the saltmarsh ceasefire spreads | World", ["News"], None) == \
        "News of the saltmarsh ceasefire spreads | World"

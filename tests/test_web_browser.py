"""The real server driven by Debian's headless Chromium (selenium).

Each test loads pages from a live uvicorn on 127.0.0.1 (free port) over a fixture
ledger, and saves a screenshot to artifacts/screenshots/. Skips with the reason when
chromium or chromedriver is absent.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from web_fixtures import XSS_SCRIPT, XSS_QUOTE, build_ledger

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("STORYLINE_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("STORYLINE_CHROMEDRIVER", "/usr/bin/chromedriver")
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"


def _require_browser() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    if missing:
        pytest.skip(f"browser tests need Debian's chromium and chromium-driver ({', '.join(missing)} missing; "
                    "`make browser-deps` installs them as root)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e '.[dev]')")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A live server over the fixture ledger: (base_url, ids)."""
    _require_browser()
    import uvicorn

    from storyline.web import create_app

    db = tmp_path_factory.mktemp("web") / "ledger.db"
    ids = build_ledger(db)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started:
        if time.time() > deadline:
            pytest.fail("the web server did not start within 20 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", ids
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(live):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="storyline-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", f"--user-data-dir={profile}", "--window-size=1280,900"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _shot(driver, name: str) -> None:
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


def _submit(driver, expect_in_url: str) -> None:
    """Submit the filter form and wait for the new page."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.find_element("css selector", "form.filters button").click()
    WebDriverWait(driver, 10).until(lambda d: expect_in_url in d.current_url)


def _in_viewport(driver, element) -> bool:
    return driver.execute_script(
        "var r = arguments[0].getBoundingClientRect();"
        "return r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth;", element)


def _no_xss(driver) -> None:
    assert driver.execute_script("return window.__xss === undefined"), "an injected script ran"
    from selenium.common.exceptions import NoAlertPresentException

    try:
        alert = driver.switch_to.alert
        text = alert.text
        alert.dismiss()
        pytest.fail(f"an alert fired: {text}")
    except NoAlertPresentException:
        pass


def test_overview_shows_counts_speakers_and_latest_statements(live, browser):
    base, _ = live
    browser.get(base + "/")
    body = browser.find_element("tag name", "body").text
    assert "Ilse Varga" in body
    assert "ingest errors" in body
    stat = browser.find_element("css selector", "a.stat[href='/articles'] b")
    assert stat.text == "5"
    _shot(browser, "overview")
    _no_xss(browser)


def test_statements_page_filters_by_speaker_facet_and_searches(live, browser):
    base, _ = live
    browser.get(base + "/statements")
    rows = browser.find_elements("css selector", "table.statements tbody tr")
    assert len(rows) == 11
    _shot(browser, "statements")
    # click the Northline outlet facet
    browser.find_element("link text", "Northline").click()
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 10).until(lambda d: "outlet=Northline" in d.current_url)
    rows = browser.find_elements("css selector", "table.statements tbody tr")
    assert len(rows) == 2
    assert "outlet=Northline" in browser.current_url
    # full-text search through the form
    browser.get(base + "/statements")
    box = browser.find_element("name", "q")
    box.send_keys("harbour formula")
    _submit(browser, "q=harbour+formula")
    rows = browser.find_elements("css selector", "table.statements tbody tr")
    assert len(rows) == 2
    assert all("harbour formula" in r.text for r in rows)
    _shot(browser, "statements-search")
    # bad FTS syntax is just words
    browser.get(base + "/statements?" + urlencode({"q": 'harbour AND ("OR NEAR(*'}))
    assert "Error" not in browser.title
    _no_xss(browser)


def test_statement_link_scrolls_to_highlighted_evidence(live, browser):
    base, ids = live
    browser.get(base + "/statements?" + urlencode({"q": "maps"}))
    links = browser.find_elements("css selector", "a.quote-link")
    assert links
    # the inner statement's link (shortest text) goes to the live blog at its words
    target = min(links, key=lambda a: len(a.text))
    start, end = ids["inner"]
    target.click()
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 10).until(lambda d: "/articles/" in d.current_url)
    assert f"#s-{start}-{end}" in browser.current_url
    time.sleep(0.2)
    marked = browser.find_elements("css selector", f".hl[data-st~='s-{start}-{end}']")
    assert marked, "the statement's words are not highlighted"
    assert "".join(m.text for m in marked) == "the first maps were ready"
    assert _in_viewport(browser, marked[0])
    # the overlapping outer statement is shown as an overlap on the same words
    assert "q-multi" in marked[0].get_attribute("class")
    _shot(browser, "article-highlight")


def test_article_page_marks_sections_boilerplate_and_speakers(live, browser):
    base, ids = live
    start, end = ids["accuse"]
    browser.get(f"{base}/articles/{ids['live']}#s-{start}-{end}")
    time.sleep(0.2)
    sections = browser.find_elements("css selector", ".blk.b-section")
    assert len(sections) == 2
    assert "live update" in sections[0].text.lower()
    boiler = browser.find_elements("css selector", ".blk.b-boiler")
    assert boiler and "photo credit" in boiler[0].text.lower()
    label = browser.find_element("id", f"s-{start}-{end}")
    assert label.text.upper() == "TOMAS REINER"
    marked = browser.find_elements("css selector", f".hl[data-st~='s-{start}-{end}']")
    assert marked and _in_viewport(browser, marked[0])
    # the statement sits inside an event: it is highlighted as a statement, not an event
    assert "hl-ev" not in marked[0].get_attribute("class")
    _shot(browser, "article-live")
    # a hash change moves the highlight without a reload
    s2, e2 = ids["outer"]
    browser.execute_script(f"location.hash = 's-{s2}-{e2}'")
    time.sleep(0.2)
    assert browser.find_elements("css selector", f".hl[data-st~='s-{s2}-{e2}']")
    assert not browser.find_elements("css selector", f".hl[data-st='s-{start}-{end}']")


def test_actor_page_shows_aliases_roles_chart_and_events(live, browser):
    base, _ = live
    browser.get(base + "/actors/2")
    text = browser.find_element("tag name", "main").text
    assert "Tomas Reiner" in text and "Prime Minister" in text and "T. Reiner" in text
    bars = browser.find_elements("css selector", "svg.chart rect.bar")
    assert bars
    assert browser.find_elements("css selector", "table tbody tr td span.ev-type")
    _shot(browser, "actor")
    # a bar links to the statements behind it
    link = browser.find_element("css selector", "svg.chart a")
    browser.get(base + link.get_dom_attribute("href"))
    rows = browser.find_elements("css selector", "table.statements tbody tr")
    assert rows and all("Tomas Reiner" in r.text for r in rows)


def test_timeline_filters_by_type_and_points_link_to_compare(live, browser):
    base, ids = live
    browser.get(base + "/timeline")
    dots = browser.find_elements("css selector", "svg.timeline circle.dot")
    assert len(dots) == 2  # the meeting (two reports, one dot) and the accusation
    # a single report's dot goes straight to its highlighted words
    single = [a.get_dom_attribute("href") for a in browser.find_elements("css selector", "svg.timeline a.pt")
              if "/articles/" in a.get_dom_attribute("href")]
    assert len(single) == 1 and f"/articles/{ids['live']}?highlight=e-" in single[0]
    undated = browser.find_elements("css selector", "#undated + p + table tbody tr")
    assert any("Varga arrives" in row.text for row in undated)
    _shot(browser, "timeline")
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("name", "type")).select_by_visible_text("CONSULT")
    _submit(browser, "type=CONSULT")
    dots = browser.find_elements("css selector", "svg.timeline circle.dot")
    assert len(dots) == 1
    browser.get(base + browser.find_element("css selector", "svg.timeline a.pt").get_dom_attribute("href"))
    columns = browser.find_elements("css selector", ".compare .column h2")
    assert sorted(c.text for c in columns) == ["Harbour Times", "Northline"]
    _shot(browser, "compare")


def test_articles_page_filters_by_outlet_and_opens_an_article(live, browser):
    base, ids = live
    browser.get(base + "/articles")
    assert len(browser.find_elements("css selector", "table.articles tbody tr")) == 5
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("name", "outlet")).select_by_visible_text("Harbour Times")
    _submit(browser, "outlet=Harbour+Times")
    rows = browser.find_elements("css selector", "table.articles tbody tr")
    assert len(rows) == 2 and all("Harbour Times" in r.text for r in rows)
    _shot(browser, "articles")
    browser.find_element("link text", "Varga and Reiner meet in Carrow").click()
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 10).until(lambda d: ids["report"] in d.current_url)
    boiler = browser.find_elements("css selector", ".blk.b-boiler")
    assert boiler and "newsletter" in boiler[0].text.lower()
    labels = [a.text.upper() for a in browser.find_elements("css selector", "a.who")]
    assert labels == ["ILSE VARGA", "TOMAS REINER", "ANONYMOUS"]


def test_api_docs_page_lists_the_endpoints(live, browser):
    base, _ = live
    browser.get(base + "/docs")
    paths = [c.text for c in browser.find_elements("css selector", ".endpoint h2 code")]
    assert "/api/v1/statements" in paths and "/api/v1/ingest" in paths
    _shot(browser, "docs")
    _no_xss(browser)


def test_errors_page_lists_reasons(live, browser):
    base, _ = live
    browser.get(base + "/errors")
    text = browser.find_element("tag name", "main").text
    assert "NO_BODY" in text and "EMPTY" in text
    assert XSS_SCRIPT in text  # shown as text
    _shot(browser, "errors")
    _no_xss(browser)


def test_untrusted_text_never_runs_in_the_browser(live, browser):
    base, ids = live
    pages = [f"/articles/{ids['xss']}", "/statements", "/articles", "/", "/timeline", "/actors", "/actors/4",
             f"/articles/{ids['copy']}", "/statements?" + urlencode({"q": XSS_SCRIPT}),
             "/statements?" + urlencode({"speaker": XSS_QUOTE}), "/compare?" + urlencode({"statement": XSS_QUOTE})]
    for page in pages:
        browser.get(base + page)
        time.sleep(0.05)
        _no_xss(browser)
    browser.get(base + f"/articles/{ids['xss']}")
    text = browser.find_element("tag name", "body").text
    assert XSS_SCRIPT in text and XSS_QUOTE in text
    # the javascript: URL is shown as text, never as a link
    browser.get(base + f"/articles/{ids['copy']}")
    assert not browser.find_elements("css selector", "a[href^='javascript']")
    _shot(browser, "xss-article")
    # clicking every link on the hostile article runs nothing either
    browser.get(base + f"/articles/{ids['xss']}")
    hrefs = [a.get_attribute("href") for a in browser.find_elements("css selector", "a[href]")]
    assert not [h for h in hrefs if h.lower().startswith("javascript")]
    for href in hrefs[:25]:
        browser.get(href)
        _no_xss(browser)


# --- the workbench (issue 14): a server with a token, corrections made in the UI -----------

WB_TOKEN = "ana:s3cret"


@pytest.fixture(scope="module")
def live_rw(tmp_path_factory):
    """A live server with a token (corrections allowed) over its own fixture ledger."""
    _require_browser()
    import uvicorn

    from storyline.web import create_app

    db = tmp_path_factory.mktemp("web-rw") / "ledger.db"
    ids = build_ledger(db)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db, token=WB_TOKEN), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started:
        if time.time() > deadline:
            pytest.fail("the web server did not start within 20 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", ids
    server.should_exit = True
    thread.join(timeout=10)


def _wait_url(driver, part: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(lambda d: part in d.current_url)


def _export_rows(driver, base: str) -> dict:
    import json

    # the export is a download (Content-Disposition: attachment): read it as the page's script would
    driver.get(base + "/statements")
    text = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "fetch('/api/v1/statements/export?format=jsonl').then(r => r.text()).then(done)")
    return {row["id"]: row for row in (json.loads(line) for line in text.splitlines() if line.strip())}


def test_workbench_correction_made_in_the_ui_is_seen_in_the_export(live_rw, browser):
    base, ids = live_rw
    sid = ids["quote"]
    browser.get(f"{base}/statements/{sid}")
    assert "The harbour formula remains on the table" in browser.find_element("id", "context").text
    form = browser.find_element("id", "correct-speaker")
    box = form.find_element("name", "value")
    box.clear()
    box.send_keys("Tom")
    from selenium.webdriver.support.ui import WebDriverWait

    # suggestions as you type, from /api/v1/actors?prefix=
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(
        "return Array.from(document.querySelectorAll('#actor-suggestions option')).map(o => o.value)") == ["Tomas Reiner"])
    box.send_keys("as Reiner")
    form.find_element("name", "token").send_keys(WB_TOKEN)
    form.find_element("name", "note").send_keys("the cue is his")
    _shot(browser, "workbench-statement-form")
    form.find_element("css selector", "button").click()
    _wait_url(browser, "done=speaker")
    page = browser.find_element("tag name", "main").text
    assert "corrected: speaker" in page and "the cue is his" in page and "ana" in page
    _shot(browser, "workbench-statement-corrected")
    row = _export_rows(browser, base)[sid]
    assert row["speaker"] == "Tomas Reiner" and row["corrected"] == ["speaker"]
    # the statements list marks it and links to its page
    browser.get(base + "/statements?" + urlencode({"speaker": "reiner"}))
    marked = [r for r in browser.find_elements("css selector", "table.statements tbody tr") if "corrected" in r.text]
    assert len(marked) == 1 and "harbour formula" in marked[0].text
    # undo from the statement page
    browser.get(f"{base}/statements/{sid}")
    undo = browser.find_element("css selector", "#corrections form.inline")
    undo.find_element("name", "token").send_keys(WB_TOKEN)
    undo.find_element("css selector", "button").click()
    _wait_url(browser, "done=undo")
    assert _export_rows(browser, base)[sid]["speaker"] == "Ilse Varga"


def test_workbench_not_a_statement_and_kind_and_date_forms(live_rw, browser):
    base, ids = live_rw
    sid = ids["quote_copy"]
    browser.get(f"{base}/statements/{sid}")
    from selenium.webdriver.support.ui import Select

    form = browser.find_element("id", "correct-kind")
    Select(form.find_element("name", "value")).select_by_visible_text("mixed")
    form.find_element("name", "token").send_keys(WB_TOKEN)
    form.find_element("css selector", "button").click()
    _wait_url(browser, "done=kind")
    form = browser.find_element("id", "correct-date")
    date = form.find_element("name", "value")
    date.clear()
    date.send_keys("2026-03-02")
    form.find_element("name", "token").send_keys(WB_TOKEN)
    form.find_element("css selector", "button").click()
    _wait_url(browser, "done=date")
    row = _export_rows(browser, base)[sid]
    assert (row["kind"], row["date"], row["date_basis"]) == ("mixed", "2026-03-02", "explicit")
    browser.get(f"{base}/statements/{sid}")
    form = browser.find_element("id", "correct-not")
    form.find_element("name", "token").send_keys(WB_TOKEN)
    form.find_element("name", "note").send_keys("a caption")
    form.find_element("css selector", "button").click()
    _wait_url(browser, "done=not_statement")
    assert "Marked not a statement" in browser.find_element("tag name", "h1").text
    _shot(browser, "workbench-not-a-statement")
    assert sid not in _export_rows(browser, base)
    # a wrong token is refused and changes nothing
    browser.get(f"{base}/statements/{ids['quote']}")
    form = browser.find_element("id", "correct-kind")
    Select(form.find_element("name", "value")).select_by_visible_text("indirect")
    form.find_element("name", "token").send_keys("ana:wrong")
    form.find_element("css selector", "button").click()
    time.sleep(0.3)
    assert "FORBIDDEN" in browser.find_element("tag name", "body").text
    assert _export_rows(browser, base)[ids["quote"]]["kind"] == "direct"


def test_workbench_actor_alias_merge_and_split_forms(live_rw, browser):
    base, _ = live_rw
    browser.get(base + "/actors/1")
    form = browser.find_element("id", "actor-alias")
    form.find_element("name", "alias").send_keys("Minister Varga")
    form.find_element("name", "token").send_keys(WB_TOKEN)
    form.find_element("css selector", "button").click()
    _wait_url(browser, "/actors/1")
    time.sleep(0.2)
    assert "Minister Varga" in browser.find_element("tag name", "aside").text
    _shot(browser, "workbench-actor-forms")
    form = browser.find_element("id", "actor-split")
    from selenium.webdriver.support.ui import Select

    Select(form.find_element("name", "alias")).select_by_visible_text("Minister Varga")
    form.find_element("name", "token").send_keys(WB_TOKEN)
    form.find_element("css selector", "button").click()
    time.sleep(0.3)
    assert browser.find_element("tag name", "h1").text == "Minister Varga"
    split_id = browser.current_url.rsplit("/", 1)[-1]
    browser.get(base + "/actors/1")
    form = browser.find_element("id", "actor-merge")
    form.find_element("name", "other").send_keys("Minister Varga")
    form.find_element("name", "token").send_keys(WB_TOKEN)
    form.find_element("css selector", "button").click()
    time.sleep(0.3)
    browser.get(f"{base}/actors/{split_id}")
    assert "Merged into" in browser.find_element("tag name", "main").text


def test_workbench_keyboard_slash_j_k_enter(live_rw, browser):
    base, _ = live_rw
    browser.get(base + "/statements")
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    body = browser.find_element("tag name", "body")
    body.click()
    ActionChains(browser).send_keys("/").perform()
    assert browser.switch_to.active_element.get_attribute("name") == "q"
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()
    ActionChains(browser).send_keys("jjk").perform()
    rows = browser.find_elements("css selector", "table.statements tbody tr")
    on = [i for i, r in enumerate(rows) if "kb-on" in (r.get_attribute("class") or "")]
    assert on == [0]
    ActionChains(browser).send_keys("j").perform()
    expected = rows[1].find_element("css selector", "a.open").get_attribute("href")
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    _wait_url(browser, "/statements/")
    assert browser.current_url == expected


def test_workbench_histogram_click_and_drag_filter_by_range(live_rw, browser):
    base, _ = live_rw
    browser.get(base + "/statements")
    bars = browser.find_elements("css selector", "figure.histogram svg.chart a[data-since]")
    assert len(bars) >= 2
    first, last = bars[0].get_dom_attribute("data-since"), bars[-1].get_dom_attribute("data-until")
    from selenium.webdriver.common.action_chains import ActionChains

    rects = browser.find_elements("css selector", "figure.histogram svg.chart a[data-since] rect")
    ActionChains(browser).move_to_element(rects[0]).click_and_hold().move_to_element(rects[-1]).release().perform()
    _wait_url(browser, "until=")
    assert f"since={first}" in browser.current_url and f"until={last}" in browser.current_url
    browser.get(base + "/statements")
    one = browser.find_elements("css selector", "figure.histogram svg.chart a[data-since] rect")[0]
    day = browser.find_elements("css selector", "figure.histogram svg.chart a[data-since]")[0].get_dom_attribute("data-since")
    one.click()
    _wait_url(browser, "since=")
    dates = [c.text for c in browser.find_elements("css selector", "table.statements td.date")]
    assert dates and all(d == day for d in dates)


@pytest.mark.parametrize("width", [420, 1024, 1600])
def test_workbench_layout_at_width(live_rw, browser, width):
    base, ids = live_rw
    import httpx

    # a long speaker name (set through a correction) must still fit its label in the text
    statements = httpx.get(base + "/api/v1/statements", params={"article": ids["live"], "limit": 1}).json()["items"]
    httpx.post(f"{base}/api/v1/statements/{statements[0]['id']}/corrections", headers={"X-Storyline-Token": WB_TOKEN},
               json={"field": "speaker", "value": "Annelie Vorstenbosch-Marquardt-Oldenhove of the Northern Seas "
                                                  "Fisheries and Coastal Waters Council"})
    browser.set_window_size(width, 900)
    try:
        for name, page in (("statements", "/statements"), ("statement", f"/statements/{ids['quote']}"),
                           ("article", f"/articles/{ids['live']}"), ("article-long-names", f"/articles/{ids['xss']}"),
                           ("actor", "/actors/2")):
            browser.get(base + page)
            time.sleep(0.1)
            _shot(browser, f"workbench-{name}-{width}")
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, f"{page} is {overflow}px wider than a {width}px window"
            if name == "statements":
                # every facet count is fully inside the window
                for count in browser.find_elements("css selector", ".facets .count"):
                    r = browser.execute_script("var r = arguments[0].getBoundingClientRect(); return [r.left, r.right, r.width]", count)
                    assert r[2] > 0 and r[0] >= 0 and r[1] <= width, f"a facet count is cut off at {width}px"
            if name.startswith("article"):
                # speaker labels stay inside the text column; list numbers of three digits fit
                for label in browser.find_elements("css selector", "a.who"):
                    inside = browser.execute_script(
                        "var a = arguments[0].getBoundingClientRect(), b = arguments[0].closest('.reader').getBoundingClientRect();"
                        "return a.right <= b.right + 1", label)
                    assert inside, f"speaker label {label.text!r} runs out of the text at {width}px"
                room = browser.execute_script(
                    "var ol = document.querySelector('ol.st-list'); if (!ol) return null;"
                    "var li = ol.querySelector('li'), cs = getComputedStyle(li), c = document.createElement('canvas').getContext('2d');"
                    "c.font = cs.fontSize + ' ' + cs.fontFamily;"
                    "return [parseFloat(getComputedStyle(ol).paddingLeft), c.measureText('100. ').width]")
                assert room is not None and room[0] >= room[1], f"list numbers 10+ would be clipped: {room}"
    finally:
        browser.set_window_size(1280, 900)


def test_workbench_speaker_type_and_confidence_facets(live_rw, browser):
    base, _ = live_rw
    browser.get(base + "/statements")
    facets = browser.find_element("css selector", "aside.facets")
    assert "SPEAKER TYPES" in facets.text.upper() and "CONFIDENCE" in facets.text.upper()
    facets.find_element("css selector", "a[href*='speaker_type=anonymous']").click()
    _wait_url(browser, "speaker_type=anonymous")
    rows = browser.find_elements("css selector", "table.statements tbody tr")
    assert rows and all("anonymous" in r.text.lower() for r in rows)
    browser.find_element("css selector", "aside.facets a[href*='min_confidence=0.9']").click()
    _wait_url(browser, "min_confidence=0.9")
    assert "speaker_type=anonymous" in browser.current_url  # facets add to the filter
    _shot(browser, "workbench-facets")


def test_workbench_pages_run_no_injected_script(live_rw, browser):
    base, ids = live_rw
    import httpx

    hostile = httpx.get(base + "/api/v1/statements", params={"article": ids["xss"]}).json()["items"]
    assert hostile
    for s in hostile:
        browser.get(f"{base}/statements/{s['id']}")
        time.sleep(0.05)
        _no_xss(browser)
        if s["speaker"] == XSS_QUOTE:  # the hostile name is shown as text
            assert XSS_QUOTE in browser.find_element("tag name", "body").text
    browser.get(f"{base}/statements/{hostile[0]['id']}")
    box = browser.find_element("css selector", "#correct-speaker input[name=value]")
    box.clear()
    box.send_keys('"\'>')  # suggestions for the hostile actor name are text, not markup
    time.sleep(0.5)
    _no_xss(browser)

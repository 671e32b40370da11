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

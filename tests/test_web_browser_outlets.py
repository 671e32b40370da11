"""Outlet and issue pages in Debian's headless Chromium (selenium), on a live server.

Same set-up as tests/test_web_browser.py: uvicorn on a free port over a hand-built ledger
(tests/outlets_fixtures.py), screenshots in artifacts/screenshots/. Skips with the reason
when chromium or chromedriver is absent.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest
from outlets_fixtures import build_outlets_ledger

from storyline.ledger import issues
from storyline.ledger.store import Store

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("STORYLINE_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("STORYLINE_CHROMEDRIVER", "/usr/bin/chromedriver")
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
TOKEN = "browser-token"


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
    _require_browser()
    import uvicorn

    from storyline.web import create_app

    db = tmp_path_factory.mktemp("web-outlets") / "ledger.db"
    ids = build_outlets_ledger(db)
    with Store(db) as store:
        issues.add_issue(store, "ceasefire", "ceasefire OR truce")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db, token=TOKEN), host="127.0.0.1", port=port,
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


def _wait_url(driver, part: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(lambda d: part in d.current_url)


def _no_xss(driver) -> None:
    assert driver.execute_script("return window.__xss === undefined"), "an injected script ran"


def test_browser_outlet_page_numbers_open_their_statements(live, browser):
    base, _ = live
    browser.get(base + "/outlets")
    browser.find_element("link text", "Outlets").click()  # the nav entry
    browser.find_element("css selector", "a.outlet-link[href='/outlets/Daily%20Beacon']").click()
    _wait_url(browser, "/outlets/Daily%20Beacon")
    main = browser.find_element("tag name", "main").text.lower()
    assert "attribution verbs" in main and "what it left out" in main
    left_out = browser.find_element("id", "left-out-table").text
    assert "The harbour formula remains on the table" in left_out and "same actor: Ilse Varga" in left_out
    _shot(browser, "outlet-profile")
    _no_xss(browser)
    browser.find_element("id", "stat-hedged").click()
    _wait_url(browser, "hedged=true")
    rows = browser.find_elements("css selector", "table.statements tbody tr")
    assert len(rows) == 1 and "would never accept the truce" in rows[0].text
    browser.back()
    _wait_url(browser, "/outlets/Daily%20Beacon")
    cue = [a for a in browser.find_elements("css selector", "#cues a.fig") if "cue=reject" in a.get_dom_attribute("href")]
    cue[0].click()
    _wait_url(browser, "cue=reject")
    assert browser.find_element("id", "total").text == "1"


def test_browser_issue_added_from_the_form_shows_heat_strip_and_exports(live, browser):
    base, _ = live
    browser.get(base + "/issues")
    browser.find_element("name", "name").send_keys("truce")
    browser.find_element("name", "query").send_keys("truce OR ceasefire")
    browser.find_element("name", "token").send_keys(TOKEN)
    browser.find_element("css selector", "form.issue-form button").click()
    _wait_url(browser, "/issues/truce")
    cells = browser.find_elements("css selector", "svg.heat rect.cell")
    assert len(cells) >= 3
    positions = [td.text.split()[0] for td in browser.find_elements("css selector", "table.positions td.position")]
    assert {"support", "oppose", "neutral"} <= set(positions)
    _shot(browser, "issue")
    link = next(a for a in browser.find_elements("css selector", "svg.heat a")
                if "actor=Tomas" in a.get_dom_attribute("href"))
    browser.get(base + link.get_dom_attribute("href"))
    rows = browser.find_elements("css selector", "table.positions tbody tr")
    assert len(rows) == 2 and all("oppose" in r.text for r in rows)
    exports = {a.text: a.get_dom_attribute("href") for a in browser.find_elements("css selector", "#network-export a")}
    assert any("graphml" in h and "congruence" in h for h in exports.values())
    body = browser.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(r => r.text()).then(done);", exports["GraphML actor–issue"])
    assert "<graphml" in body and "Tomas Reiner" in body
    _no_xss(browser)


def test_browser_wrong_token_keeps_the_form_and_says_why(live, browser):
    base, _ = live
    browser.get(base + "/issues")
    browser.find_element("name", "name").send_keys("levy")
    browser.find_element("name", "query").send_keys("levy")
    browser.find_element("name", "token").send_keys("wrong")
    browser.find_element("css selector", "form.issue-form button").click()
    time.sleep(0.3)
    assert "does not match" in browser.find_element("id", "issue-error").text
    assert browser.find_element("name", "name").get_attribute("value") == "levy"

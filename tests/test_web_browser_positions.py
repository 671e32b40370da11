"""Setting a position in the UI (headless Chromium, selenium) and seeing it in
`storyline export network`; undoing it from the statement page's corrections list.

Same set-up as tests/test_web_browser_outlets.py: uvicorn on a free port over a
hand-built fictional ledger, screenshots in artifacts/screenshots/. Skips with the reason
when chromium or chromedriver is absent.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest
from outlets_fixtures import build_outlets_ledger
from typer.testing import CliRunner

from storyline.cli.app import app
from storyline.ledger import issues
from storyline.ledger.store import Store

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("STORYLINE_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("STORYLINE_CHROMEDRIVER", "/usr/bin/chromedriver")
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
TOKEN = "ana:browser-key"


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

    db = tmp_path_factory.mktemp("web-positions") / "ledger.db"
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
    yield f"http://127.0.0.1:{port}", db, ids
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


def _network(db) -> dict[str, dict]:
    result = CliRunner().invoke(app, ["export", "network", "--db", str(db), "--issue", "ceasefire", "--format", "csv"])
    assert result.exit_code == 0, result.output
    return {row["statement_id"]: row for row in csv.DictReader(io.StringIO(result.output))}


def _wait(driver, check) -> None:
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # the page is replaced while the check reads it: a stale element just means "not yet"
    WebDriverWait(driver, 10, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(check)


def _cell(driver, sid: str):
    return driver.find_element("css selector", f'td.position[data-statement="{sid}"]')


def test_browser_position_set_on_the_issue_page_reaches_the_network_export(live, browser):
    from selenium.webdriver.support.ui import Select

    base, db, ids = live
    sid = ids["side_statements"][0]  # Ilse Varga: "the ceasefire must hold"; the rules say support
    assert _network(db)[sid]["position"] == "support"
    browser.get(base + "/issues/ceasefire")
    cell = _cell(browser, sid)
    assert "suggested: support" in cell.text and "not corrected" in cell.text
    cell.find_element("css selector", "details.position-fix summary").click()
    form = cell.find_element("css selector", "form.position-form")
    Select(form.find_element("name", "value")).select_by_value("oppose")
    form.find_element("name", "token").send_keys(TOKEN)
    form.find_element("name", "note").send_keys("said with irony")
    form.find_element("css selector", "button[type=submit]").click()
    _wait(browser, lambda d: "corrected: oppose" in _cell(d, sid).text)
    assert "/issues/ceasefire" in browser.current_url
    cell = _cell(browser, sid)
    assert cell.find_element("css selector", ".position-now").text == "oppose"
    assert "suggested: support" in cell.text
    browser.save_screenshot(str(SHOTS / "issue-position-corrected.png"))
    row = _network(db)[sid]
    assert (row["position"], row["corrected"]) == ("oppose", "True")

    # the statement page shows both, and its corrections list undoes it
    browser.get(base + "/statements/" + sid)
    positions = browser.find_element("id", "positions").text
    assert "suggested: support" in positions and "corrected: oppose" in positions
    table = browser.find_element("id", "corrections")
    assert "ceasefire: oppose" in table.text and "said with irony" in table.text and "ana" in table.text
    browser.execute_script("document.getElementById('positions').scrollIntoView()")
    browser.save_screenshot(str(SHOTS / "statement-position.png"))
    undo = table.find_element("css selector", "form.inline")
    undo.find_element("name", "token").send_keys(TOKEN)
    undo.find_element("css selector", "button").click()
    _wait(browser, lambda d: "not corrected" in d.find_element("id", "positions").text)
    assert _network(db)[sid]["position"] == "support"


def test_browser_position_form_on_the_statement_page(live, browser):
    from selenium.webdriver.support.ui import Select

    base, db, ids = live
    sid = ids["side_statements"][3]  # officials' "the truce began at noon": anonymous, so not in the network
    browser.get(base + "/statements/" + sid)
    form = browser.find_element("css selector", "#positions form.position-form")
    Select(form.find_element("name", "value")).select_by_value("support")
    form.find_element("name", "token").send_keys(TOKEN)
    form.find_element("css selector", "button[type=submit]").click()
    _wait(browser, lambda d: "done=position" in d.current_url)
    assert "Saved: new position" in browser.find_element("id", "done").text
    assert "corrected: support" in browser.find_element("id", "positions").text
    assert sid not in _network(db)  # an anonymous source is no actor of the network
    shown = CliRunner().invoke(app, ["issues", "show", "ceasefire", "--db", str(db), "--json"])
    item = next(s for s in json.loads(shown.output)["statements"] if s["id"] == sid)
    assert (item["position"], item["correction"]) == ("support", "support")

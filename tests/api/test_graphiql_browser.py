"""GraphiQL in a real headless Chromium, with every address but 127.0.0.1 unreachable: the README's first step.

Given a migrated, seeded `mentorgraph serve`, when a browser opens /graphql, pastes a printed token into the
headers pane and runs `{ me { name } }`, then the result pane shows the demo coordinator's name, and every
request the page made went to the service itself.

Needs Debian's chromium and chromium-driver (`make test-browser` installs them). Without them the test skips,
unless MENTORGRAPH_REQUIRE_BROWSER=1 (set by `make test-browser`, which CI runs): then their absence fails it.
"""

from __future__ import annotations

import json
import os
import shutil
import time

import pytest

from api.demo import DEMO_COORDINATOR
from tests.api.conftest import run_cli, serving

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
ME = "{ me { name } }"


@pytest.fixture(autouse=True)
def _sqlite_pass_only(engine):
    if engine != "sqlite":
        pytest.skip("starts its own SQLite service; runs in the SQLite pass")


@pytest.fixture
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("MENTORGRAPH_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium and chromium-driver are required here: `make test-browser` installs them")
        pytest.skip("needs chromium and chromium-driver; `make test-browser` installs them")
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        # The closed network: no name resolves but 127.0.0.1, and anything else would go to a dead proxy.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--proxy-server=http://127.0.0.1:9",
        "--proxy-bypass-list=127.0.0.1",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def _editor_value(driver, selector: str) -> str:
    return driver.execute_script(f"return document.querySelector({json.dumps(selector)}).CodeMirror.getValue()")


def _set_editor(driver, selector: str, text: str) -> None:
    driver.execute_script(f"document.querySelector({json.dumps(selector)}).CodeMirror.setValue(arguments[0])", text)


def _wait_for(condition, *, seconds: float = 30, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"waited {seconds} s for {what}")


QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"
HEADERS_EDITOR = ".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror"
RESULT_PANE = ".graphiql-response .CodeMirror"


def test_graphiql_runs_a_query_with_the_pasted_token_on_a_closed_network(tmp_path, browser):
    database_url = f"sqlite://{tmp_path / 'mentorgraph.sqlite3'}"
    assert run_cli("migrate", MENTORGRAPH_DATABASE_URL=database_url).returncode == 0
    assert run_cli("seed-demo", MENTORGRAPH_DATABASE_URL=database_url).returncode == 0
    token = run_cli("token", "--email", DEMO_COORDINATOR, "--role", "COORDINATOR").stdout.strip()

    with serving(MENTORGRAPH_DATABASE_URL=database_url, MENTORGRAPH_SWEEP_INTERVAL_SECONDS="0") as service:
        browser.get(f"{service.url}/graphql")
        _wait_for(lambda: browser.find_elements("css selector", HEADERS_EDITOR), what="GraphiQL's headers pane")
        _set_editor(browser, HEADERS_EDITOR, json.dumps({"Authorization": f"Bearer {token}"}))
        _set_editor(browser, QUERY_EDITOR, ME)
        browser.find_element("css selector", ".graphiql-execute-button").click()
        answer = _wait_for(
            lambda: "data" in (text := _editor_value(browser, RESULT_PANE)) and text, what="the result pane"
        )
        requested = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")

    assert json.loads(answer) == {"data": {"me": {"name": "Carmen Ruiz"}}}
    assert requested, "the page loaded its scripts"
    assert all(url.startswith(f"{service.url}/") for url in requested), requested
    assert f"{service.url}/graphiql/graphiql.min.js" in requested

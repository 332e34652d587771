"""The HMI in a real browser (Playwright driving Debian's chromium): log in, watch Example 1 run on the
twin with the mimic updating, hold and restart it as an engineer and be refused as an operator, answer
a prompt, sign a release, open a record and its plots, upload a bad recipe and see the located errors.

Skipped, saying why, where chromium or the playwright package is absent (``.ci/run`` installs chromium).
With ``ANODELINE_SCREENSHOTS=DIR`` the tests save the screenshots docs/hmi.md shows into DIR.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PATENT
from tests.web.conftest import PASSWORD, Records, new_running_batch, serving

CHROMIUM = os.environ.get("ANODELINE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
if not Path(CHROMIUM).is_file():
    pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)", allow_module_level=True)

expect = playwright_api.expect
SHOTS = os.environ.get("ANODELINE_SCREENSHOTS")


def shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.wait_for_function("() => [...document.images].every(i => i.complete)", timeout=30_000)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


@pytest.fixture(autouse=True)
def _close_pages(browser: Any) -> Iterator[None]:
    """Close each test's pages (their live streams) before the server stops."""
    yield
    for context in browser.contexts:
        context.close()


@pytest.fixture(scope="module")
def site(sqlite_records: Records) -> Iterator[tuple[Records, str]]:
    with serving(sqlite_records) as address:
        yield sqlite_records, address


def signed_in(browser: Any, address: str, user: str, path: str = "/line") -> Any:
    page = browser.new_context(base_url=address, viewport={"width": 1280, "height": 900}).new_page()
    page.goto(path)
    expect(page).to_have_url(f"{address}/login?next={path}")
    page.fill("#login-user", user)
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    expect(page).to_have_url(f"{address}{path}")
    return page


def test_log_in_and_a_wrong_password_is_shown(browser: Any, site: tuple[Records, str]) -> None:
    _, address = site
    page = browser.new_context(base_url=address).new_page()
    page.goto("/line")
    page.fill("#login-user", "otto")
    page.fill("#login-password", "not the password")
    page.click("#login-submit")
    expect(page.locator("#login-result")).to_contain_text("authentication failed")
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    expect(page.locator("#who")).to_contain_text("Otto Operator (otto, operator)")
    expect(page.locator("#mimic [data-space='chamber-4']")).to_be_visible()


def test_watch_example_1_run_then_hold_and_restart_it_as_an_engineer(browser: Any, site: tuple[Records, str]) -> None:
    from anodeline.batch.runner import run_batch

    records, address = site
    page = signed_in(browser, address, "erin")
    before = {b.batch_id for b in records.store.list_batches()}
    outcome: dict[str, Any] = {}

    def run() -> None:
        outcome["report"] = run_batch(PATENT / "example-01.yaml", db_url=records.url, speed=2000.0, actor="erin")

    runner = threading.Thread(target=run)
    runner.start()
    try:
        expect(page.locator("#live-status")).to_have_text("running", timeout=30_000)
        new = next(iter({b.batch_id for b in records.store.list_batches()} - before))
        expect(page.locator("#live-batch")).to_have_text(new)
        page.wait_for_function("() => (window.anodelineSteps || []).length >= 4", timeout=15_000)  # steps go by
        assert int(page.inner_text("#live-updates")) >= 4
        expect(page.locator("[data-value='chamber-4|pressure']")).not_to_have_text("-")
        shot(page, "hmi-line")
        page.fill("#reason-hold", "check the O2 analyser")
        page.click("#cmd-hold")
        expect(page.locator("#command-result")).to_contain_text("sent to the process running it")
        expect(page.locator("#live-status")).to_have_text("held", timeout=15_000)
        expect(page.locator("#banner")).to_contain_text("HELD", timeout=5_000)
        page.fill("#reason-restart", "analyser checked")
        page.click("#cmd-restart")
        expect(page.locator("#live-status")).to_have_text("running", timeout=15_000)
    finally:
        runner.join(60)
    assert outcome["report"].status == "complete", outcome["report"].reasons
    expect(page.locator("#live-status")).to_have_text("completed", timeout=10_000)
    verbs = [(c.verb, c.user, c.outcome) for c in records.store.commands(new)]
    assert [v[:2] for v in verbs] == [("hold", "erin"), ("restart", "erin")] and all(v[2] for v in verbs)


def test_an_operator_sees_no_restart_and_the_api_refuses_it(browser: Any, site: tuple[Records, str]) -> None:
    records, address = site
    batch = new_running_batch(records.store, live=True)
    page = signed_in(browser, address, "otto", f"/batches/{batch}")
    expect(page.locator("#cmd-hold")).to_be_visible()
    assert page.locator("#cmd-restart").count() == 0 and page.locator("#cmd-abort").count() == 0
    status = page.evaluate(
        """async (batch) => (await fetch(`/api/batches/${batch}/commands/restart`, {method: "POST",
        headers: {"Content-Type": "application/json", "X-CSRF-Token": document.body.dataset.csrf},
        body: JSON.stringify({reason: "let me"})})).status""",
        batch,
    )
    assert status == 403


def test_sign_a_release_in_the_browser(browser: Any, site: tuple[Records, str]) -> None:
    records, address = site
    page = signed_in(browser, address, "quinn", f"/batches/{records.batch_id}")
    expect(page.locator("#sign-submit")).to_be_visible()
    page.select_option("#sign-meaning", "release")
    page.fill("#sign-password", "wrong password")
    page.click("#sign-submit")
    expect(page.locator("#sign-result")).to_contain_text("authentication failed")
    page.fill("#sign-password", PASSWORD)
    page.click("#sign-submit")
    expect(page.locator("#sign-result")).to_contain_text("signed: released")
    expect(page.locator("#signatures")).to_contain_text("Quinn Quality (quinn)", timeout=10_000)
    expect(page.locator("#record-released")).to_have_text("released")
    shot(page, "hmi-batch")


def test_open_a_record_and_its_plots_from_the_list(browser: Any, site: tuple[Records, str]) -> None:
    records, address = site
    page = signed_in(browser, address, "otto", "/batches")
    page.fill("#filter-lot", "CU-2611")
    expect(page.locator("#batch-rows")).to_contain_text("1 batch(es)")
    page.click(f"text={records.batch_id}")
    expect(page.locator("#record-batch")).to_have_text(records.batch_id)
    plots = page.locator("img.plot")
    expect(plots.first).to_be_visible()
    page.wait_for_function("() => [...document.querySelectorAll('img.plot')].every(i => i.complete)", timeout=30_000)
    widths = page.eval_on_selector_all("img.plot", "imgs => imgs.map(i => i.naturalWidth)")
    assert len(widths) >= 4 and all(w > 100 for w in widths)
    assert page.get_attribute("#export-csv", "href") == f"/api/batches/{records.batch_id}/export.csv"


def test_upload_a_bad_recipe_and_see_the_located_errors(browser: Any, site: tuple[Records, str]) -> None:
    _, address = site
    page = signed_in(browser, address, "otto", "/recipes")
    good = (PATENT / "example-01.yaml").read_bytes()
    bad = good.replace(b"thickness: 1 um", b"thickness: 12 um").replace(b"99.99 %", b"99.9 %")
    page.set_input_files("#recipe-file", {"name": "bad.yaml", "mimeType": "text/yaml", "buffer": bad})
    page.click("#recipe-submit")
    rows = page.locator("#recipe-result tr.violation")
    expect(rows.first).to_be_visible()
    text = page.inner_text("#recipe-result")
    assert "THK001" in text and "ATM002" in text
    thk = page.locator("#recipe-result tr.violation", has_text="THK001").locator("td").nth(1)
    expect(thk).to_have_text("14")
    shot(page, "hmi-recipe")


def test_answer_a_prompt_then_refuse_the_next_and_the_batch_holds(browser: Any, site: tuple[Records, str]) -> None:
    from anodeline.batch.operator import OperatorChoice
    from anodeline.batch.runner import run_batch

    records, address = site
    page = signed_in(browser, address, "otto")
    outcome: dict[str, Any] = {}

    def run() -> None:
        outcome["report"] = run_batch(PATENT / "example-01.yaml", db_url=records.url, speed=2000.0, actor="otto",
                                      operator=OperatorChoice("manual", timeout_s=120.0))  # fmt: skip

    runner = threading.Thread(target=run)
    runner.start()
    try:
        done = page.locator("#confirm-0")
        expect(done).to_be_visible(timeout=40_000)  # step 0, loading storage-1 into chamber 5, waits for a person
        expect(page.locator("tr.prompt")).to_contain_text("storage-1")
        shot(page, "hmi-prompt")
        done.click()
        expect(page.locator("#prompt-result")).to_contain_text("step 0 confirmed by otto")
        expect(page.locator("#refuse-1")).to_be_visible(timeout=40_000)  # the next manual step
        page.fill("#refuse-reason-1", "the source container's seal is damaged")
        page.click("#refuse-1")
        expect(page.locator("#live-status")).to_have_text("held", timeout=20_000)
        expect(page.locator("#banner")).to_contain_text("PROMPT-REFUSED", timeout=10_000)
        page.fill("#reason-stop", "source container to be replaced")
        page.click("#cmd-stop")
    finally:
        runner.join(60)
    assert outcome["report"].status != "complete"
    answers = [(p.step, p.answer, p.user) for p in records.store.read(lambda s: _prompts(s, outcome["report"].batch))]
    assert answers[:2] == [(0, "confirmed", "otto"), (1, "refused", "otto")]


def _prompts(session: Any, batch: str) -> Any:
    from anodeline.records import prompts as book

    return book.listed(session, batch)

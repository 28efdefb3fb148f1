"""Playwright harness: one headless Debian Chromium per session, a fresh 360 px phone page per test.

Tests use pytest-django's ``live_server`` (a transactional database); each test module marks
its tests ``browser`` with ``pytestmark``. Screenshots of each step go
to ``test-artifacts/<test name>/`` (gitignored) for review.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections
from django.db.models.signals import post_migrate
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM
# calls made by the tests (creating users, regions) "from an async context".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


# ---------- the audit ledger's triggers vs. the live server's flush ----------


def _reinstall_ledger_triggers(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """After a test flush (which emits post_migrate) put the SQLite triggers back for later tests."""
    from zwfw.core import ledger_triggers

    db = connections[using]
    if db.vendor == "sqlite":
        ledger_triggers.install(db)


@pytest.fixture(autouse=True)
def _ledger_flushable(transactional_db: None) -> Iterator[None]:
    """Let the transactional flush empty the append-only ledger tables on SQLite.

    The ledger's SQLite triggers refuse DELETE, which is how a live-server test's teardown flush
    empties tables there. This fixture depends on ``transactional_db``, so its teardown runs just
    before the flush: the triggers are dropped, and put back by a post_migrate receiver once the
    flush is done. PostgreSQL flushes with TRUNCATE, which the triggers do not block.
    """
    from zwfw.core import ledger_triggers

    post_migrate.connect(_reinstall_ledger_triggers, dispatch_uid="zwfw-browser-ledger-triggers")
    ledger_triggers.install(connection)
    yield
    if connection.vendor == "sqlite":
        ledger_triggers.remove(connection)


# ---------- browser ----------


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def viewport(request: pytest.FixtureRequest) -> dict[str, int]:
    """360x740 (an old phone) unless parametrized indirectly, e.g. with ``DESKTOP``."""
    return dict(getattr(request, "param", PHONE))


@pytest.fixture
def javascript(request: pytest.FixtureRequest) -> bool:
    """JavaScript on unless parametrized indirectly with False (the no-JS fallback)."""
    return bool(getattr(request, "param", True))


@pytest.fixture
def context(browser: Browser, viewport: dict[str, int], javascript: bool) -> Iterator[BrowserContext]:
    phone = viewport["width"] < 600
    ctx = browser.new_context(
        viewport=viewport,  # type: ignore[arg-type]
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        is_mobile=phone,
        has_touch=phone,
        java_script_enabled=javascript,
    )
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A page that fails the test on any uncaught script error or Content Security Policy violation."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield page
    if errors:
        pytest.fail("JavaScript errors or CSP violations on the page:\n" + "\n".join(errors))


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    """``shot(page, "login")`` saves a numbered full-page screenshot under test-artifacts/."""
    folder = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    counter = iter(range(1, 1000))

    def take(page: Page, step: str) -> Path:
        path = folder / f"{next(counter):02d}-{re.sub(r'[^A-Za-z0-9_.-]+', '_', step)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take

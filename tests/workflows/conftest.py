import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

from tests.factories import path_to


@pytest.fixture
def flow_world(world, django_capture_on_commit_callbacks):
    """A World whose steps run their after-commit work (the flow sync) as they would live."""

    class FlowWorld:
        def __getattr__(self, name):
            return getattr(world, name)

        def new_referral(self, *args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return world.new_referral(*args, **kwargs)

        def do(self, referral, name, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return world.do(referral, name, **kwargs)

        def reach(self, state, **kwargs):
            referral = self.new_referral(kwargs.pop("kind", None) or "criminal_transfer")

            _kind, path = path_to(state, kind=referral.kind)
            for name in path:
                self.do(referral, name)
            referral.refresh_from_db()
            return referral

    return FlowWorld()


CHROMIUM = "/usr/bin/chromium"  # Debian's package: Playwright's own browsers cannot be fetched here
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser_page(live_server, monkeypatch):
    """A headless Chromium tab for one test, opened after the test database is set up.

    Playwright's sync API runs an asyncio loop in this thread while it lives, and while it
    runs Django refuses ORM calls here (hence DJANGO_ALLOW_ASYNC_UNSAFE) and asgiref gives this
    thread new, context-local database connections. Those lack what serialized_rollback
    restores from, so it silently does nothing while the loop runs: the loop must not outlive
    the test, which rules out pytest-playwright's session-wide browser.
    """
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.set_default_timeout(10_000)
        # Content-Security-Policy violations (issue 10): Chromium reports each on the console.
        violations = page.csp_violations = []
        page.on(
            "console",
            lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
        )
        try:
            yield page
        finally:
            connections.close_all()  # the context-local ones: none is left open
            browser.close()
        assert violations == [], "the pages broke their Content-Security-Policy"

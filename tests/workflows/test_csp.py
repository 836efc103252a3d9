"""Issue 10: no Content-Security-Policy. Every page sends one that allows scripts and style
sheets from this site only, and our templates hold nothing inline it would block."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from viewflow.workflow.status import STATUS

from referral import lifecycle
from referral.models import Role
from workflows.selectors import process_for

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# What a policy without 'unsafe-inline' for scripts and style elements blocks.
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def _assert_strict(response):
    policy = _policy(response)
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == f"'self' {settings.TURBO_PROGRESS_BAR_STYLE}"
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'" and policy["base-uri"] == "'none'"
    assert "unsafe-inline" not in policy["script-src"] + policy["style-src"]


@pytest.mark.parametrize("name", ["xianjie:inbox", "xianjie:queue", "xianjie:referral_list"])
def test_the_task_lists_send_the_policy(client, flow_world, name):
    client.force_login(flow_world.user("fc-msa", Role.CASE_OFFICER))
    response = client.get(reverse(name))
    assert response.status_code == 200
    _assert_strict(response)


def test_the_case_and_task_pages_send_the_policy(client, flow_world):
    referral = flow_world.new_referral()
    client.force_login(flow_world.user("fc-msa", Role.CASE_OFFICER))
    _assert_strict(client.get(reverse("xianjie:referral_detail", args=[referral.pk])))
    task = process_for(referral).task_set.get(status__in=(STATUS.NEW, STATUS.ASSIGNED))
    _assert_strict(client.get(reverse("xianjie:task_detail", args=[task.pk])))


def test_the_verify_and_login_pages_send_the_policy(client, db):
    _assert_strict(client.get(reverse("referral:verify_form")))
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    _assert_strict(response)


def test_the_case_page_loads_its_script_and_styles_as_files(client, flow_world):
    referral = flow_world.reach(lifecycle.Status.TRANSFERRED_AWAITING_RECEIPT)
    client.force_login(flow_world.user("fc-msa", Role.CASE_OFFICER))
    page = client.get(reverse("xianjie:referral_detail", args=[referral.pk])).content.decode()
    assert "/static/xianjie/site.css" in page and "/static/xianjie/documents.js" in page
    assert not INLINE["inline script"].search(page) and "<style" not in page


@pytest.mark.parametrize("kind", list(INLINE))
def test_our_page_templates_hold_nothing_inline(kind):
    """The document templates are excluded: WeasyPrint renders them, no browser."""
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)!r}"
        for path in TEMPLATES.rglob("*.html")
        if "documents" not in path.relative_to(TEMPLATES).parts[:1]
        for match in INLINE[kind].finditer(path.read_text())
    ]
    assert found == []

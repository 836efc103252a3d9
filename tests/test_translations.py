"""Simplified Chinese is the default language: its catalogues are complete and compiled."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = [
    ROOT / "locale/zh_Hans/LC_MESSAGES/django.po",
    # viewflow's own UI strings, whose shipped zh_Hans catalogue is empty
    ROOT / "locale_viewflow/zh_Hans/LC_MESSAGES/django.po",
]


def _entries(po):
    blocks = po.read_text().split("\n\n")[1:]  # the first block is the header
    return [b for b in blocks if "msgid" in b and not b.lstrip().startswith("#~")]


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-4])
def test_every_message_has_a_chinese_translation(po):
    untranslated = [b for b in _entries(po) if re.search(r'msgstr(\[0\])? ""\s*$', b)]
    fuzzy = [b for b in _entries(po) if "#, fuzzy" in b]
    assert untranslated == [] and fuzzy == []


def test_catalogue_holds_every_message_of_the_source(tmp_path):
    """Regression: strings added to the code without running makemessages showed in English.
    Extracts the messages afresh from a copy of the tree and compares with the catalogue."""
    for name in ("config", "referral", "workflows", "templates"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", tmp_path)
    (tmp_path / "locale").mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-location", "-v0"],
        cwd=tmp_path,
        env=env,
        check=True,
    )
    fresh = tmp_path / "locale/zh_Hans/LC_MESSAGES/django.po"
    # msgcmp: every message of the fresh extraction must be translated in the catalogue.
    result = subprocess.run(
        ["msgcmp", str(CATALOGUES[0]), str(fresh)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-4])
def test_compiled_catalogue_matches_its_source(po, tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(po)], check=True)
    assert compiled.read_bytes() == po.with_suffix(".mo").read_bytes()


def test_login_page_is_chinese(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert "登录" in page


def test_english_is_switchable(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/").content.decode()
    assert "Log in" in page


def test_chinese_even_when_the_browser_asks_for_english(client, db):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in page

"""Simplified Chinese is the default language: its catalogue is complete and compiled."""

import re
import subprocess
from pathlib import Path

PO = Path(__file__).resolve().parents[1] / "locale/zh_Hans/LC_MESSAGES/django.po"


def _entries():
    text = PO.read_text()
    blocks = text.split("\n\n")[1:]  # the first block is the header
    return [b for b in blocks if "msgid" in b and not b.lstrip().startswith("#~")]


def test_every_message_has_a_chinese_translation():
    untranslated = [b for b in _entries() if re.search(r'msgstr ""\s*$', b)]
    fuzzy = [b for b in _entries() if "#, fuzzy" in b]
    assert untranslated == [] and fuzzy == []


def test_compiled_catalogue_matches_its_source(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(PO)], check=True)
    assert compiled.read_bytes() == PO.with_suffix(".mo").read_bytes()

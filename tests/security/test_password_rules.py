"""Password rules (等保 2.0 level 3): length, three character classes, nothing like the name,
not common, not one of the last five; every message in Chinese."""

import re

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import translation

from referral.models import PasswordHistory
from tests.security.conftest import make_user

CJK = re.compile(r"[\u4e00-\u9fff]")


def _errors(password, user=None):
    with translation.override("zh-hans"):
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            return error.messages
    return []


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("Ab1-short", "太短"),  # 9 characters
        ("alllowercaseletters", "类字符"),  # one class
        ("lowercase-only-symbols", "类字符"),  # two classes
        ("12345678", "太短"),
        ("password", "太短"),
    ],
)
def test_weak_passwords_are_refused_in_chinese(db, password, fragment):
    messages = _errors(password)
    assert any(fragment in m for m in messages), messages
    assert all(CJK.search(m) for m in messages), messages


def test_common_password_is_refused_even_when_long_and_mixed(db):
    # In Django's list of 20,000 common passwords, and of three classes.
    messages = _errors("Password1234")
    assert any("常见" in m for m in messages), messages


def test_password_like_the_username_or_name_is_refused(db):
    user = make_user("zhangwei2026", full_name="Zhang Wei")
    messages = _errors("Zhangwei2026!", user)
    assert any("相似" in m for m in messages), messages


def test_length_message_is_chinese_regression(db):
    """Regression: Django 5.2's own length message came out in English (its zh_Hans catalogue
    lacks the new msgid), while every other rule was Chinese."""
    (message,) = _errors("Ab1-x")
    assert "12" in message and CJK.search(message)


def test_good_password_passes(db):
    user = make_user("liqiang")
    assert _errors("Qiu-Feng-Luo-Ye-7", user) == []


def test_the_last_five_passwords_cannot_come_back(db):
    user = make_user("history", password="First-pass-0000")
    for n in range(1, 5):
        user.set_password(f"Later-pass-000{n}")
        user.save()
    # Current + four before it: all five refused.
    for old in ["First-pass-0000", "Later-pass-0001", "Later-pass-0004"]:
        assert any("最近" in m for m in _errors(old, user)), old
    user.set_password("Later-pass-0005")
    user.save()
    # The first has dropped out of the last five.
    assert _errors("First-pass-0000", user) == []
    assert PasswordHistory.objects.filter(user=user).count() == 5


def test_history_keeps_hashes_not_passwords(db):
    user = make_user("hashes", password="Hidden-pass-2026")
    stored = PasswordHistory.objects.get(user=user).password
    assert "Hidden-pass-2026" not in stored and stored == user.password

"""Document numbers and verification codes: formats and codes only, no database access.

A number is `{short}{code}〔{year}〕{serial}号` by default (绵市监移〔2026〕3号), configurable per
agency. Counting happens in `referral.services.documents`, inside the issuing transaction.
"""

import secrets
import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_NUMBER_PATTERN = "{short}{code}〔{year}〕{serial}号"
NUMBER_PLACEHOLDERS = ("short", "code", "year", "serial")
# The counter runs per type and year, so a number must show the type, the year and the serial
# or two documents would carry the same number.
REQUIRED_PLACEHOLDERS = ("code", "year", "serial")

# A corrected document keeps its number (other agencies and later documents cite it) and is told
# apart by its version. Part of the identifier, so the same in every interface language.
VERSION_SUFFIX = "（第{version}版）"

# Printed under the QR code and typed by hand: no 0/O, 1/I/L look-alikes. 31 symbols, 10 of them
# give about 50 bits, far beyond what a rate-limited public page lets anyone guess.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def validate_number_pattern(value: str) -> None:
    """Rejects a pattern that lacks a required placeholder, has an unknown one or cannot format."""
    try:
        fields = [name for _text, name, _spec, _conv in string.Formatter().parse(value) if name]
    except ValueError:
        raise ValidationError(_("The pattern has an unmatched brace."), code="syntax") from None
    unknown = sorted(set(fields) - set(NUMBER_PLACEHOLDERS))
    if unknown:
        raise ValidationError(
            _("Unknown placeholder: %(names)s. Use {short}, {code}, {year} and {serial}."),
            code="unknown",
            params={"names": ", ".join(f"{{{name}}}" for name in unknown)},
        )
    missing = [name for name in REQUIRED_PLACEHOLDERS if name not in fields]
    if missing:
        raise ValidationError(
            _("The pattern must contain %(names)s."),
            code="missing",
            params={"names": ", ".join(f"{{{name}}}" for name in missing)},
        )
    try:
        format_number(value, short="测", code="移", year=2026, serial=1)
    except (ValueError, TypeError, IndexError, KeyError):
        raise ValidationError(_("The pattern cannot be filled in."), code="format") from None


def format_number(pattern: str, *, short: str, code: str, year: int, serial: int) -> str:
    return pattern.format(short=short, code=code, year=year, serial=serial)


def versioned_number(number: str, version: int) -> str:
    """The number as printed: the first version bare, a correction with its version."""
    return number if version == 1 else number + VERSION_SUFFIX.format(version=version)


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_verification_code(text: str) -> str:
    """What a person typed, in the stored form: upper case, no spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch not in " -\t")

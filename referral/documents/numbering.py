"""Document numbers and verification codes: formats and codes only, no database access.

A number is `{short}{code}〔{year}〕{serial}号` by default (绵市监移〔2026〕3号), configurable per
agency; police organs put their unit code and 字 in it (涪公（食药）立字〔2026〕5号 from
`{short}{unit}{code}〔{year}〕{serial}号`, the 字 in the police types' codes). GB/T 9704-2012 7.2.4:
机关代字〔年份〕序号号, no 第 and no leading zeros, so the serial takes no format spec.
Counting happens in `referral.services.documents`, inside the issuing transaction.
"""

import secrets
import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_NUMBER_PATTERN = "{short}{code}〔{year}〕{serial}号"
NUMBER_PLACEHOLDERS = ("short", "unit", "code", "year", "serial")
# The counter runs per type and year, so a number must show the type, the year and the serial
# or two documents would carry the same number.
REQUIRED_PLACEHOLDERS = ("code", "year", "serial")


# Printed under the QR code and typed by hand: no 0/O, 1/I/L look-alikes. 31 symbols, 10 of them
# give about 50 bits, far beyond what a rate-limited public page lets anyone guess.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def validate_number_pattern(value: str) -> None:
    """Rejects a pattern that lacks a required placeholder, has an unknown one or cannot format."""
    try:
        parsed = [(name, spec, conv) for _text, name, spec, conv in string.Formatter().parse(value)]
    except ValueError:
        raise ValidationError(_("The pattern has an unmatched brace."), code="syntax") from None
    fields = [name for name, _spec, _conv in parsed if name]
    if any(spec or conv for name, spec, conv in parsed if name):
        # A spec such as {serial:03d} would print 005: GB/T 9704 forbids leading zeros.
        raise ValidationError(
            _("Placeholders take no format, e.g. {serial}, not {serial:03d}."), code="spec"
        )
    if "第" in value:
        raise ValidationError(_("A document number has no 第 (GB/T 9704-2012)."), code="di")
    unknown = sorted(set(fields) - set(NUMBER_PLACEHOLDERS))
    if unknown:
        raise ValidationError(
            _("Unknown placeholder: %(names)s. Use {short}, {unit}, {code}, {year} and {serial}."),
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
        format_number(value, short="测", unit="", code="移", year=2026, serial=1)
    except (ValueError, TypeError, IndexError, KeyError):
        raise ValidationError(_("The pattern cannot be filled in."), code="format") from None


def format_number(
    pattern: str, *, short: str, code: str, year: int, serial: int, unit: str = ""
) -> str:
    return pattern.format(short=short, unit=unit, code=code, year=year, serial=serial)


def version_label(version: int) -> str:
    """A correction is a fact of the record, shown beside the number, never inside it (GB/T
    9704: the 发文字号 is 机关代字〔年份〕序号号 and nothing else)."""
    return "" if version == 1 else f"第{version}版（更正）"


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_verification_code(text: str) -> str:
    """What a person typed, in the stored form: upper case, no spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch not in " -\t")

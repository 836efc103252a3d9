"""Text hygiene for everything a user types that can reach a document or another agency.

A leaf module (it imports only the standard library) so model fields, services and documents
can all use it. Its one rule, `clean_text`, runs at one choke point: the text model fields of
`referral/models/fields.py` apply it when a value is validated, saved or used in a query.

What it does and why:

- NFC normalisation: a name typed as a base letter plus a combining mark and the same name typed
  precomposed are one name to a reader; they must be one string to a search, a comparison with
  another agency's record and the document's font (which may have only the precomposed glyph).
- Bidirectional controls (U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates, U+200E
  and U+200F marks, U+061C) are removed: one U+202E in a party's name reverses the rest of the
  paragraph in the printed 移送书, so the paper says something the record does not.
- Other format characters (Unicode category Cf: zero-width space and joiners, soft hyphen, byte
  order mark, invisible operators ...) are removed: they change nothing visible, so they can
  only hide a difference (two "identical" names that do not match) or come from a paste.
- Control characters (Cc) are removed except newline and tab in multi-line text; carriage
  returns go, so Windows line ends become plain ones. Line and paragraph separators (U+2028,
  U+2029) become newlines. Lone surrogates (Cs, possible through JSON) are removed: they cannot
  be stored as UTF-8.
- Variation selectors (Mn, used for CJK ideographic variants), private-use characters (some
  names are recorded with them) and unassigned code points (a newer Unicode) are kept.

Strip or refuse, by kind of field:

- Prose (facts, reasons, opinions, notes, measures) and single-line text (titles, names,
  addresses, item names): stripped silently. These are typed or pasted by officers from Word,
  WeChat or PDFs, where invisible characters are routine and never meant; refusing would
  block real work for a character nobody can see, and the visible text is unchanged.
  Single-line text also turns newlines and tabs into spaces.
- Identifiers (ID numbers, unified social credit codes, document numbers, phone numbers,
  sample IDs): refused (`invisible_characters` lists what was found, the field's validator
  says so in Chinese). Another agency looks these up and compares them character by character;
  a hidden character in one is either a paste error the officer must see or an attempt to make
  a number look like another, and silently "fixing" it would hide both.
"""

import unicodedata

# Bidirectional formatting characters (Unicode UAX #9). All are Cf; named for the messages.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_KEPT_CONTROLS = frozenset("\n\t")
_REMOVED_CATEGORIES = frozenset({"Cf", "Cc", "Cs"})
_LINE_BREAKS = {"\r\n": "\n", "\u2028": "\n", "\u2029": "\n"}


def _is_hidden(char: str) -> bool:
    return char not in _KEPT_CONTROLS and unicodedata.category(char) in _REMOVED_CATEGORIES


def clean_text(value: str, *, multiline: bool = True) -> str:
    """`value` in NFC without bidirectional, format or control characters (newlines and tabs
    kept in `multiline` text, turned into spaces otherwise), surrounding whitespace trimmed."""
    if not value:
        return value
    for old, new in _LINE_BREAKS.items():
        value = value.replace(old, new)
    # Removing first lets NFC compose a mark with a base a hidden character separated it from.
    value = "".join(char for char in value if not _is_hidden(char))
    value = unicodedata.normalize("NFC", value)
    if not multiline:
        value = " ".join(value.split())
    return value.strip()


def invisible_characters(value: str) -> list[str]:
    """The code points (`U+202E`) of the characters `clean_text` would remove from `value`,
    newlines and tabs included: an identifier holds none."""
    found = (c for c in value or "" if c in _KEPT_CONTROLS or _is_hidden(c))
    return list(dict.fromkeys(f"U+{ord(c):04X}" for c in found))

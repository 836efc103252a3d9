"""The pinned document fonts and the per-document font subset served to WeasyPrint.

Debian's Noto CJK files are collections (.ttc) holding the Japanese, Korean, Simplified and
Traditional Chinese faces. Given a whole collection, fontconfig registers every face under the
@font-face family and WeasyPrint ends up with face 0, the Japanese one, whose glyph shapes differ
from the mainland standard (骨, 直, 令 ...). The fetcher therefore serves exactly one face,
named in the URL fragment (`...NotoSerifCJK-Regular.ttc#NotoSerifCJKsc-Regular`), cut down with
HarfBuzz to the characters the document contains. That also keeps the PDF small: WeasyPrint
subsets with retained glyph ids, so a face whose Chinese glyphs sit at ids near 60,000 costs
~150 KB per font however few characters are used, while a face of the document's own characters
costs little more than its outlines.

Noto CJK has no CJK Extension B (plane 2) ideographs, found in real names (生僻字 such as 𠀀):
without a fallback fontconfig picks whatever the machine has, or nothing, and the page shows a
blank box. Hanazono Mincho (Debian fonts-hanazono; A: the BMP, B: planes 2 and 3) is therefore
pinned too, listed after Noto in every font-family of the document CSS, and served cut down the
same way.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from threading import Lock

import cffi
from django.core.exceptions import ImproperlyConfigured

NOTO_CJK_DIR = Path("/usr/share/fonts/opentype/noto")
HANAZONO_DIR = Path("/usr/share/fonts/truetype/hanazono")
FONT_DIRS = (NOTO_CJK_DIR, HANAZONO_DIR)

# Printable ASCII: digits of page counters, Latin in numbers and codes.
ALWAYS_INCLUDED = range(0x20, 0x7F)


@dataclass(frozen=True)
class PinnedFont:
    family: str  # the CSS family documents use
    file: str  # in `directory`
    postscript_name: str  # the face inside the collection
    weight: int
    directory: Path = NOTO_CJK_DIR

    @property
    def path(self) -> Path:
        return self.directory / self.file

    @property
    def url(self) -> str:
        return f"{self.path.as_uri()}#{self.postscript_name}"


SERIF = "XJ Noto Serif CJK SC"
SANS = "XJ Noto Sans CJK SC"
# Fallbacks for the ideographs Noto lacks, after it in every font-family (document.css).
RARE_B = "XJ HanaMin B"
RARE_A = "XJ HanaMin A"
PINNED_FONTS = (
    # Body (song, standing in for fangsong) and title (bold song, standing in for 小标宋).
    PinnedFont(SERIF, "NotoSerifCJK-Regular.ttc", "NotoSerifCJKsc-Regular", 400),
    PinnedFont(SERIF, "NotoSerifCJK-Bold.ttc", "NotoSerifCJKsc-Bold", 700),
    # Hei for table headers, labels and the page footer.
    PinnedFont(SANS, "NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular", 400),
    # 生僻字: Extension B and beyond, then Extension A and the rest of the BMP.
    PinnedFont(RARE_B, "HanaMinB.ttf", "HanaMinB", 400, HANAZONO_DIR),
    PinnedFont(RARE_A, "HanaMinA.ttf", "HanaMinA", 400, HANAZONO_DIR),
)


def font_face_css() -> str:
    """The @font-face rules of the pinned fonts."""
    return "\n".join(
        f'@font-face {{ font-family: "{font.family}"; src: url("{font.url}"); '
        f"font-weight: {font.weight}; font-style: normal; }}"
        for font in PINNED_FONTS
    )


def pinned_font_for_url(url: str) -> PinnedFont | None:
    return next((font for font in PINNED_FONTS if font.url == url), None)


# --- HarfBuzz ---------------------------------------------------------------------------------

_CDEF = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
typedef const struct hb_language_impl_t *hb_language_t;
typedef uint32_t hb_codepoint_t;
typedef uint32_t hb_tag_t;
hb_blob_t *hb_blob_create_from_file_or_fail (const char *file_name);
const char *hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
void hb_blob_destroy (hb_blob_t *blob);
unsigned int hb_face_count (hb_blob_t *blob);
hb_face_t *hb_face_create (hb_blob_t *blob, unsigned int index);
hb_blob_t *hb_face_reference_blob (hb_face_t *face);
void hb_face_destroy (hb_face_t *face);
unsigned int hb_ot_name_get_utf8 (hb_face_t *face, unsigned int name_id,
    hb_language_t language, unsigned int *text_size, char *text);
hb_tag_t hb_tag_from_string (const char *str, int len);
void hb_set_add (hb_set_t *set, hb_codepoint_t codepoint);
void hb_set_clear (hb_set_t *set);
hb_subset_input_t *hb_subset_input_create_or_fail (void);
void hb_subset_input_destroy (hb_subset_input_t *input);
hb_set_t *hb_subset_input_unicode_set (hb_subset_input_t *input);
hb_set_t *hb_subset_input_set (hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags (hb_subset_input_t *input, unsigned value);
hb_face_t *hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
"""
_SETS_DROP_TABLE_TAG = 3
_SETS_LAYOUT_FEATURE_TAG = 6
_NAME_ID_POSTSCRIPT = 6
# Horizontal Chinese needs no substitutions or positioning; vertical metrics are unused.
_DROPPED_TABLES = (b"GSUB", b"GPOS", b"BASE", b"JSTF", b"DSIG", b"vhea", b"vmtx", b"VORG")


class _HarfBuzz:
    """HarfBuzz and HarfBuzz-subset through cffi, with the collections' faces kept open."""

    def __init__(self):
        self.ffi = cffi.FFI()
        self.ffi.cdef(_CDEF)
        try:
            self.hb = self.ffi.dlopen("libharfbuzz.so.0")
            self.subset = self.ffi.dlopen("libharfbuzz-subset.so.0")
        except OSError as exc:
            raise ImproperlyConfigured(
                "Documents need HarfBuzz and HarfBuzz-subset (Debian: libharfbuzz-subset0)."
            ) from exc
        self.lock = Lock()
        self.faces = {}

    def face(self, font: PinnedFont):
        """The collection's face named `font.postscript_name`; opened once per process."""
        key = (font.path, font.postscript_name)
        if key not in self.faces:
            blob = self.hb.hb_blob_create_from_file_or_fail(str(font.path).encode())
            if blob == self.ffi.NULL:
                raise ImproperlyConfigured(
                    f"Font file {font.path} is missing (fonts-noto-cjk, fonts-hanazono)."
                )
            for index in range(self.hb.hb_face_count(blob)):
                face = self.hb.hb_face_create(blob, index)
                if self._postscript_name(face) == font.postscript_name:
                    self.faces[key] = face
                    break
                self.hb.hb_face_destroy(face)
            else:
                raise ImproperlyConfigured(f"{font.path} has no face {font.postscript_name}.")
        return self.faces[key]

    def _postscript_name(self, face) -> str:
        size = self.ffi.new("unsigned int *", 128)
        text = self.ffi.new("char[128]")
        self.hb.hb_ot_name_get_utf8(face, _NAME_ID_POSTSCRIPT, self.ffi.NULL, size, text)
        return self.ffi.string(text).decode()

    def subset_face(self, font: PinnedFont, codepoints: frozenset[int]) -> bytes:
        with self.lock:
            source = self.face(font)
            plan = self._plan(codepoints)
            try:
                result = self.subset.hb_subset_or_fail(source, plan)
            finally:
                self.subset.hb_subset_input_destroy(plan)
            if result == self.ffi.NULL:
                raise RuntimeError(f"HarfBuzz could not subset {font.postscript_name}.")
            try:
                return self._face_bytes(result)
            finally:
                self.hb.hb_face_destroy(result)

    def _plan(self, codepoints: frozenset[int]):
        """Keep `codepoints`, renumber glyphs, no layout features, drop the unused tables."""
        plan = self.subset.hb_subset_input_create_or_fail()
        unicodes = self.subset.hb_subset_input_unicode_set(plan)
        for codepoint in sorted(codepoints):
            self.hb.hb_set_add(unicodes, codepoint)
        features = self.subset.hb_subset_input_set(plan, _SETS_LAYOUT_FEATURE_TAG)
        self.hb.hb_set_clear(features)
        dropped = self.subset.hb_subset_input_set(plan, _SETS_DROP_TABLE_TAG)
        for tag in _DROPPED_TABLES:
            self.hb.hb_set_add(dropped, self.hb.hb_tag_from_string(tag, 4))
        self.subset.hb_subset_input_set_flags(plan, 0)
        return plan

    def _face_bytes(self, face) -> bytes:
        blob = self.hb.hb_face_reference_blob(face)
        try:
            length = self.ffi.new("unsigned int *")
            data = self.hb.hb_blob_get_data(blob, length)
            return bytes(self.ffi.buffer(data, length[0]))
        finally:
            self.hb.hb_blob_destroy(blob)


@cache
def _harfbuzz() -> _HarfBuzz:
    return _HarfBuzz()


def codepoints_of(text: str) -> frozenset[int]:
    """The characters a font subset for `text` keeps: those of `text` and printable ASCII."""
    return frozenset(map(ord, set(text))) | frozenset(ALWAYS_INCLUDED)


def subset_font(font: PinnedFont, codepoints: frozenset[int]) -> bytes:
    """`font`'s face reduced to `codepoints`, glyphs renumbered. Characters the face lacks are
    simply absent: fontconfig falls back for them, which the document's font report shows."""
    return _harfbuzz().subset_face(font, codepoints)


def harfbuzz_subset_in_use() -> bool:
    """Whether WeasyPrint subsets fonts with libharfbuzz-subset (without it, it falls back to
    fontTools and a Chinese page takes seconds instead of a tenth of one)."""
    from weasyprint.text import ffi

    return ffi.harfbuzz_subset is not None

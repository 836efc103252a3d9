"""The only way a document template reaches outside itself: local files under the document
templates and the pinned fonts, and `data:` URIs. Everything else stops the rendering."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from . import fonts


class RefusedURL(FatalURLFetchingError):
    """A template or a user's text asked for a resource documents may not load."""


def templates_dir() -> Path:
    return Path(settings.BASE_DIR) / "templates" / "documents"


class DocumentURLFetcher(URLFetcher):
    """Serves `file://` URLs under `templates/documents/` and the pinned fonts' directories, and
    `data:` URIs; raises `RefusedURL` (which aborts the rendering) for anything else.

    A pinned font's URL (see `fonts.PINNED_FONTS`) is answered with that one face of the
    collection cut down to `text`, the characters the document contains."""

    def __init__(self, *, text: str = ""):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.codepoints = fonts.codepoints_of(text)
        self.fetched: list[str] = []
        self.roots = (templates_dir().resolve(), *(d.resolve() for d in fonts.FONT_DIRS))

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            self.fetched.append(url[:40])
            return super().fetch(url, headers)
        if scheme != "file":
            raise RefusedURL(f"Documents load no {scheme or 'relative'} URL: {url[:200]}")
        pinned = fonts.pinned_font_for_url(url)
        if pinned is not None:
            self.fetched.append(url)
            return URLFetcherResponse(url, fonts.subset_font(pinned, self.codepoints))
        path = self._allowed_path(url)
        self.fetched.append(url)
        return URLFetcherResponse(url, path.read_bytes(), self._headers(path))

    def _allowed_path(self, url: str) -> Path:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"Documents load no remote file: {url[:200]}")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
            raise RefusedURL(f"Documents load no file outside their own folders: {path}")
        return path

    @staticmethod
    def _headers(path: Path) -> dict:
        types = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}
        return {"Content-Type": types.get(path.suffix, "application/octet-stream")}

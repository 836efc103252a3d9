"""Uploads read as a stream, never held whole in memory, and stopped at the size limit.

Django parses a multipart body only when `request.POST` or `request.FILES` is first touched,
through the request's upload handlers. `LimitedUploadHandler` comes first in every request's
handlers (FILE_UPLOAD_HANDLERS): it refuses a body whose declared length is past the limit
before a byte of it is read, and stops the parser as soon as a file's bytes pass
XIANJIE_MAX_UPLOAD_BYTES (a client may declare no length or lie about it). The bytes it lets
through go on to Django's TemporaryFileUploadHandler, i.e. to a temporary file on disk, since
FILE_UPLOAD_MAX_MEMORY_SIZE is small. A view that must check a right before reading the body
(workflows/actions.py, the case-page upload) does so before touching `request.POST`.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

# Room for the multipart framing and the form's other fields around the file.
FORM_OVERHEAD_BYTES = 64 * 1024
DISCARD_CHUNK_BYTES = 64 * 1024

TOO_LARGE = _("The file is larger than the limit of %(mb)d MB.")


def upload_limit() -> int:
    return settings.XIANJIE_MAX_UPLOAD_BYTES


def too_large_message() -> str:
    return TOO_LARGE % {"mb": upload_limit() // (1024 * 1024)}


class LimitedUploadHandler(FileUploadHandler):
    """Stops reading an upload past XIANJIE_MAX_UPLOAD_BYTES; marks the request
    (`request.upload_too_large`) so the view answers with the Chinese message."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = upload_limit()
        self.received = 0  # file bytes passed on: never more than the limit

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > self.limit + FORM_OVERHEAD_BYTES:
            # Answering for the parser (empty POST and FILES) stops it before it reads.
            self.request.upload_too_large = True
            return QueryDict(), MultiValueDict()
        return None

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self._refuse()
        self.received += len(raw_data)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (a temporary file) holds the file

    def _refuse(self):
        self.request.upload_too_large = True
        # connection_reset: the parser reads nothing more of the body.
        raise StopUpload(connection_reset=True)


def upload_too_large(request) -> bool:
    """Whether the request's upload was stopped at the limit; parses the body (within it)."""
    request.FILES  # noqa: B018  (parsing is what sets the mark)
    return getattr(request, "upload_too_large", False)


def discard_body(request) -> None:
    """Throws away what is left of a refused request's body in small chunks, never parsing it.

    Production servers discard an unread body themselves; Django's development server reads
    the rest in one piece when the response is done (hundreds of MB in memory for a large
    upload), so a refusal reads it off first, a chunk at a time."""
    while request.read(DISCARD_CHUNK_BYTES):
        pass

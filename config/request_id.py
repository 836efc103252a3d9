"""A request id for every request: taken from the proxy's X-Request-ID when it is a plain token,
otherwise made here; returned in the response, attached to every log record of the request."""

import logging
import re
import uuid
from contextvars import ContextVar

_current: ContextVar[str] = ContextVar("request_id", default="")
# A proxy-supplied id is kept only if it cannot smuggle anything into a log line.
_TOKEN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current_request_id() -> str:
    """The id of the request being served in this context ("" outside a request)."""
    return _current.get()


class RequestIdMiddleware:
    header = "X-Request-ID"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(self.header, "")
        request_id = given if _TOKEN.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[self.header] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Puts `request_id` on every record, "-" outside a request."""

    def filter(self, record):
        record.request_id = _current.get() or "-"
        return True

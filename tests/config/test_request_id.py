"""Every request has an id: the proxy's when it is a plain token, a fresh one otherwise; it is
returned, stamped on log records, and carried by the audit events the request writes."""

import logging

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from config.request_id import RequestIdFilter, RequestIdMiddleware, current_request_id
from referral.models import AuditEvent
from referral.services.audit import audit_append
from referral.timeutil import now


def _serve(header=None, view=None):
    request = RequestFactory().get("/", **({"HTTP_X_REQUEST_ID": header} if header else {}))
    seen = {}

    def respond(req):
        seen["id"] = current_request_id()
        if view:
            view()
        return HttpResponse("ok")

    response = RequestIdMiddleware(respond)(request)
    return response, seen["id"]


def test_a_plain_proxy_id_is_kept_and_returned():
    response, inside = _serve("edge-42.a_b")
    assert inside == "edge-42.a_b" == response["X-Request-ID"]
    assert current_request_id() == ""


@pytest.mark.parametrize("header", ["x" * 65, "id with spaces", "a\nforged log line", ""])
def test_an_unsafe_or_missing_proxy_id_is_replaced(header):
    response, inside = _serve(header or None)
    assert inside == response["X-Request-ID"] != header
    assert len(inside) == 32


def test_log_records_carry_the_request_id():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", (), None)
    RequestIdFilter().filter(record)
    assert record.request_id == "-"


@pytest.mark.django_db
def test_audit_events_written_in_a_request_carry_its_id():
    def write():
        with transaction.atomic():
            audit_append(action="probe", at=now())

    response, _inside = _serve("req-7", view=write)
    assert AuditEvent.objects.get(action="probe").request_id == "req-7"

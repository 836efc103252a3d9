"""Issue 10: uploads were read whole into memory before the size and permission checks (a 400 MB
POST by a user with no upload right: +360 MB resident). A probe upload handler, placed where
config/uploads.py's handler is, counts the bytes the parser hands on."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.uploads import LimitedUploadHandler
from referral import lifecycle
from referral.models import Attachment, AuditEvent, Role

S = lifecycle.Status
LIMIT = 100 * 1024
PDF_HEAD = b"%PDF-1.4\n"


class ProbeHandler(LimitedUploadHandler):
    """The limiting handler, remembering every instance so a test can read what it received."""

    instances: list["ProbeHandler"] = []

    def __init__(self, request=None):
        super().__init__(request)
        ProbeHandler.instances.append(self)


@pytest.fixture
def probe(settings):
    settings.XIANJIE_MAX_UPLOAD_BYTES = LIMIT
    settings.FILE_UPLOAD_HANDLERS = [
        f"{__name__}.ProbeHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]
    ProbeHandler.instances.clear()
    return ProbeHandler.instances


def _post(client, referral, size: int, **extra):
    body = PDF_HEAD + b"0" * (size - len(PDF_HEAD))
    return client.post(
        reverse("xianjie:referral_upload", args=[referral.pk]),
        {"kind": "evidence", "file": SimpleUploadedFile("a.pdf", body, "application/pdf")},
        follow=True,
        **extra,
    )


def test_a_user_without_the_upload_right_is_refused_before_the_body_is_read(
    client, flow_world, probe
):
    referral = flow_world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    attachments = Attachment.objects.count()
    client.force_login(flow_world.user("fc-police", Role.POLICE_INTAKE))
    events = AuditEvent.objects.count()

    response = _post(client, referral, 10 * LIMIT)

    assert response.status_code == 200
    assert "只有移送机关的执法人员才能修改案件信息" in response.content.decode()
    assert probe == []  # no upload handler was ever started: the body was not parsed
    assert Attachment.objects.count() == attachments and AuditEvent.objects.count() == events


def test_the_case_officer_cannot_upload_once_the_record_is_closed(client, flow_world, probe):
    referral = flow_world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    attachments = Attachment.objects.count()
    client.force_login(flow_world.user("fc-msa", Role.CASE_OFFICER))
    response = _post(client, referral, 1024)
    assert "不能修改案件信息" in response.content.decode()
    assert probe == [] and Attachment.objects.count() == attachments


def test_a_declared_length_past_the_limit_is_refused_before_a_byte_is_read(
    client, flow_world, probe
):
    referral = flow_world.new_referral()
    attachments = Attachment.objects.count()
    client.force_login(flow_world.user("fc-msa", Role.CASE_OFFICER))

    response = _post(client, referral, 10 * LIMIT)

    assert "文件大小超过" in response.content.decode()
    assert [handler.received for handler in probe] == [0]
    assert Attachment.objects.count() == attachments


def test_a_file_growing_past_the_limit_is_stopped_while_streaming(client, flow_world, probe):
    referral = flow_world.new_referral()
    attachments = Attachment.objects.count()
    client.force_login(flow_world.user("fc-msa", Role.CASE_OFFICER))

    # Declared length within the limit's margin, the file itself past the limit.
    response = _post(client, referral, LIMIT + 32 * 1024)

    assert "文件大小超过" in response.content.decode()
    assert len(probe) == 1 and 0 < probe[0].received <= LIMIT
    assert Attachment.objects.count() == attachments


def test_a_file_within_the_limit_is_stored(client, flow_world, probe):
    referral = flow_world.new_referral()
    attachments = Attachment.objects.count()
    client.force_login(flow_world.user("fc-msa", Role.CASE_OFFICER))
    _post(client, referral, LIMIT)
    assert Attachment.objects.count() == attachments + 1
    assert Attachment.objects.latest("pk").size == LIMIT
    assert probe[0].received == LIMIT


def test_the_upload_still_needs_the_csrf_token(flow_world, probe):
    from django.test import Client

    referral = flow_world.new_referral()
    attachments = Attachment.objects.count()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(flow_world.user("fc-msa", Role.CASE_OFFICER))
    response = strict.post(
        reverse("xianjie:referral_upload", args=[referral.pk]),
        {"kind": "evidence", "file": SimpleUploadedFile("a.pdf", PDF_HEAD, "application/pdf")},
    )
    assert response.status_code == 403 and Attachment.objects.count() == attachments

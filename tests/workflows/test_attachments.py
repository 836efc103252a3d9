"""Attachments: opened in the browser or downloaded through an authorised view with safe
headers, every opening recorded once in its own append-only table, identical files stored once."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import ProgrammingError, connection
from django.urls import reverse

from referral.models import AppendOnlyError, Attachment, AttachmentRead, Role
from referral.services.referrals import attachment_add
from tests.factories import UserFactory
from tests.security.helpers import login_verified

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _attach(world, referral, data=PDF, name="调查报告.pdf", kind="investigation_report"):
    return attachment_add(
        referral_id=referral.pk,
        actor=world.user("fc-msa", Role.CASE_OFFICER),
        kind=kind,
        name=name,
        data=data,
    )


def _url(attachment, download=False):
    return reverse("xianjie:attachment_file", args=[attachment.pk]) + (
        "?download" if download else ""
    )


def _open(client, user, attachment, download=False):
    client.force_login(user)
    return client.get(_url(attachment, download))


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    """A media directory per test: files are shared by content, so one test's altered copy
    must not meet another's upload."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


# --- who may open -------------------------------------------------------------------------------

# (agency, role) -> may open before transfer, after transfer. None: the referral's police organ.
MATRIX = [
    ("fc-msa", Role.CASE_OFFICER, True, True),
    ("fc-msa", Role.AGENCY_HEAD, True, True),
    (None, Role.POLICE_INTAKE, False, True),
    (None, Role.POLICE_REVIEWER, False, True),
    ("fc-proc", Role.PROCURATOR, True, True),
    ("my-msa", Role.CASE_OFFICER, False, False),  # another agency of the city
    ("yx-msa", Role.AGENCY_HEAD, False, False),  # a foreign county
    ("yx-police", Role.POLICE_REVIEWER, False, False),
    ("yx-proc", Role.PROCURATOR, False, False),
]


@pytest.mark.parametrize(("agency", "role", "before", "after"), MATRIX)
def test_attachment_access_follows_the_visibility_rule(
    client, flow_world, agency, role, before, after
):
    referral = flow_world.reach("TRANSFER_APPROVED")
    attachment = _attach(flow_world, referral)
    user = flow_world.user(agency or referral.police_agency.code, role)
    for may_open in (before, after):
        response = _open(client, user, attachment)
        assert response.status_code == (200 if may_open else 404)
        if may_open:
            assert b"".join(response.streaming_content) == PDF
        if referral.transferred_at is None:
            referral = flow_world.do(referral, "transfer") or referral
            referral.refresh_from_db()
    assert referral.transferred_at is not None
    # Each opening is on record, a refused one is not.
    assert AttachmentRead.objects.filter(reader=user).count() == before + after


def test_user_without_agency_may_not_open(client, world):
    attachment = _attach(world, world.new_referral())
    nobody = UserFactory(username="nobody", agency=None, roles=[])
    assert _open(client, nobody, attachment).status_code == 404
    assert not AttachmentRead.objects.exists()


def test_anonymous_is_sent_to_log_in(client, world):
    attachment = _attach(world, world.new_referral())
    response = client.get(_url(attachment))
    assert response.status_code == 302 and "login" in response["Location"]
    assert not AttachmentRead.objects.exists()


def test_missing_attachment_is_the_same_404(client, world):
    attachment = _attach(world, world.new_referral())
    officer = world.user("yx-msa", Role.CASE_OFFICER)
    client.force_login(officer)
    foreign = client.get(_url(attachment))
    missing = client.get(reverse("xianjie:attachment_file", args=[attachment.pk + 100]))
    assert foreign.status_code == missing.status_code == 404


def test_media_directory_has_no_url(client, world):
    attachment = _attach(world, world.new_referral())
    client.force_login(world.user("fc-msa", Role.CASE_OFFICER))
    assert Path(settings.MEDIA_ROOT, attachment.file.name).exists()
    assert settings.MEDIA_URL == "/media/"
    assert client.get(f"{settings.MEDIA_URL}{attachment.file.name}").status_code == 404


# --- headers ------------------------------------------------------------------------------------


def test_pdf_opens_inline_sandboxed_and_uncached(client, world):
    attachment = _attach(world, world.new_referral())
    response = _open(client, world.user("fc-msa", Role.AGENCY_HEAD), attachment)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert (
        "filename*=utf-8''%E8%B0%83%E6%9F%A5%E6%8A%A5%E5%91%8A.pdf"
        in (response["Content-Disposition"])
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_image_opens_inline(client, world):
    attachment = _attach(world, world.new_referral(), data=PNG, name="现场照片.png")
    response = _open(client, world.user("fc-msa", Role.AGENCY_HEAD), attachment)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")


def test_download_is_an_attachment(client, world):
    attachment = _attach(world, world.new_referral())
    response = _open(client, world.user("fc-msa", Role.AGENCY_HEAD), attachment, download=True)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    assert AttachmentRead.objects.get().downloaded is True


def test_office_file_is_always_downloaded(client, world):
    attachment = _attach(world, world.new_referral(), data=_docx(), name="说明.docx")
    response = _open(client, world.user("fc-msa", Role.AGENCY_HEAD), attachment)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_altered_copy_is_not_handed_out(client, world):
    attachment = _attach(world, world.new_referral())
    Path(settings.MEDIA_ROOT, attachment.file.name).write_bytes(PDF + b"% changed\n")
    response = _open(client, world.user("fc-msa", Role.AGENCY_HEAD), attachment)
    assert response.status_code == 500
    assert b"PDF" not in response.content


# --- reads on record ----------------------------------------------------------------------------


def test_each_read_is_recorded_once(client, world):
    attachment = _attach(world, world.new_referral())
    procurator = world.user("fc-proc", Role.PROCURATOR)
    _open(client, procurator, attachment)
    _open(client, procurator, attachment, download=True)
    reads = list(AttachmentRead.objects.all())
    assert [(r.reader, r.reader_agency, r.attachment, r.downloaded) for r in reads] == [
        (procurator, procurator.agency, attachment, False),
        (procurator, procurator.agency, attachment, True),
    ]
    assert all(r.read_at and r.request_id for r in reads)


@pytest.mark.engine
def test_reads_are_append_only(client, world):
    attachment = _attach(world, world.new_referral())
    _open(client, world.user("fc-msa", Role.AGENCY_HEAD), attachment)
    read = AttachmentRead.objects.get()
    with pytest.raises(AppendOnlyError):
        read.save()
    with pytest.raises(AppendOnlyError):
        read.delete()
    with pytest.raises(AppendOnlyError):
        AttachmentRead.objects.update(downloaded=True)


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    ["UPDATE referral_attachmentread SET downloaded = true", "DELETE FROM referral_attachmentread"],
)
def test_postgresql_refuses_to_change_or_delete_reads(client, world, sql):
    attachment = _attach(world, world.new_referral())
    _open(client, world.user("fc-msa", Role.AGENCY_HEAD), attachment)
    with pytest.raises(ProgrammingError, match="pgtrigger: Cannot"), connection.cursor() as cursor:
        cursor.execute(sql)


def test_reads_are_shown_to_the_readers_own_agency_only(client, world):
    referral = world.new_referral()
    attachment = _attach(world, referral)
    head, procurator = world.user("fc-msa", Role.AGENCY_HEAD), world.user("fc-proc", "procurator")
    _open(client, procurator, attachment)
    page = reverse("xianjie:referral_detail", args=[referral.pk])
    client.force_login(procurator)
    assert [r.reader for r in client.get(page).context["page"].attachment_reads] == [procurator]
    client.force_login(head)
    assert client.get(page).context["page"].attachment_reads == []
    _open(client, head, attachment)
    client.force_login(head)
    body = client.get(page).content.decode()
    reads = body[body.index('data-testid="attachment-reads"') :].split("</details>")[0]
    assert "本机关已查阅 1 次" in reads and head.username in reads
    assert procurator.username not in reads


def test_case_page_links_to_view_and_download(client, world):
    referral = world.new_referral()
    pdf = _attach(world, referral)
    docx = _attach(world, referral, data=_docx(), name="说明.docx")
    client.force_login(world.user("fc-msa", Role.AGENCY_HEAD))
    body = client.get(reverse("xianjie:referral_detail", args=[referral.pk])).content.decode()
    assert f'href="{_url(pdf)}" target="_blank"' in body
    assert f'href="{_url(pdf, download=True)}"' in body
    assert f'href="{_url(docx, download=True)}"' in body
    assert f'href="{_url(docx)}" target' not in body


# --- stored once --------------------------------------------------------------------------------


def test_identical_files_are_stored_once(world):
    first = _attach(world, world.new_referral())
    second = _attach(world, world.new_referral(), name="另一个名字.pdf", kind="test_report")
    other = _attach(world, world.new_referral(), data=PDF + b"%2\n")
    assert first.file.name == second.file.name == f"attachments/{first.sha256[:2]}/{first.sha256}"
    assert other.file.name != first.file.name
    stored = [p for p in Path(settings.MEDIA_ROOT, "attachments").rglob("*") if p.is_file()]
    assert sorted(p.name for p in stored) == sorted({first.sha256, other.sha256})
    assert Attachment.objects.count() == 3


def test_an_altered_copy_is_not_reused(world):
    first = _attach(world, world.new_referral())
    Path(settings.MEDIA_ROOT, first.file.name).write_bytes(b"%PDF-tampered")
    second = _attach(world, world.new_referral())
    assert second.file.name != first.file.name
    with second.file.open("rb") as stored:
        assert stored.read() == PDF


# --- the audit administrator ---------------------------------------------------------------------

READS_ADMIN = "admin:referral_attachmentread_changelist"


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.AUDIT_ADMIN, 200), (Role.SYSTEM_ADMIN, 403), (Role.SECURITY_ADMIN, 403)],
)
def test_only_the_audit_administrator_sees_every_read(client, world, role, status):
    attachment = _attach(world, world.new_referral())
    _open(client, world.user("fc-proc", Role.PROCURATOR), attachment)
    _open(client, world.user("fc-msa", Role.AGENCY_HEAD), attachment)
    login_verified(client, UserFactory(username="adm", agency=None, is_staff=True, roles=[role]))
    response = client.get(reverse(READS_ADMIN))
    assert response.status_code == status
    if status == 200:
        assert response.context["cl"].result_count == 2


def test_staff_officer_and_audit_administrator_cannot_change_reads(client, world):
    attachment = _attach(world, world.new_referral())
    _open(client, world.user("fc-msa", Role.AGENCY_HEAD), attachment)
    read = AttachmentRead.objects.get()
    officer = world.user("fc-msa", Role.CASE_OFFICER)
    officer.is_staff = True
    officer.save()
    login_verified(client, officer)
    assert client.get(reverse(READS_ADMIN)).status_code == 403
    login_verified(
        client, UserFactory(username="adm", agency=None, is_staff=True, roles=[Role.AUDIT_ADMIN])
    )
    delete = reverse("admin:referral_attachmentread_delete", args=[read.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AttachmentRead.objects.filter(pk=read.pk).exists()


@pytest.mark.parametrize("reads", [1, 6])
def test_reads_admin_query_count(client, world, django_assert_num_queries, reads):
    attachment = _attach(world, world.new_referral())
    for _ in range(reads):
        _open(client, world.user("fc-proc", Role.PROCURATOR), attachment)
    login_verified(
        client, UserFactory(username="adm", agency=None, is_staff=True, roles=[Role.AUDIT_ADMIN])
    )
    # Session, user, roles (3) + the verified second-factor device (1) + the user's and groups'
    # permissions (2) + COUNT for the paginator and COUNT of the unfiltered total (2) + the
    # page of reads with reader, agency and attachment joined (1) = 9.
    with django_assert_num_queries(9):
        assert client.get(reverse(READS_ADMIN)).status_code == 200

"""The public verification page (by code and by uploaded PDF) and the authenticated download."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from referral import lifecycle
from referral.documents import views
from referral.models import Role
from referral.services import documents as issuing
from referral.services import referrals as case
from referral.services.seized_items import seized_item_add

S = lifecycle.Status
PUBLIC_KEYS = {"type", "title", "number", "version", "issuing_agency", "issued_on", "status",
               "verification_code"}  # fmt: skip


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def referral(world, after_commit):
    """A transferred referral with a named party and item, so leaks would show; its documents
    rendered after the step as live."""
    referral = world.reach(S.TRANSFER_APPROVED)
    officer = world.user("fc-msa", Role.CASE_OFFICER)
    case.party_add(
        referral_id=referral.pk,
        actor=officer,
        kind="person",
        name="王秘密",
        id_number="510703199001011234",
        phone="13800000000",
    )
    seized_item_add(referral_id=referral.pk, actor=officer, name="问题白酒", quantity=3, unit="瓶")
    with after_commit():
        world.do(referral, "transfer")
    referral.refresh_from_db()
    return referral


@pytest.fixture
def letter(referral):
    return referral.documents.get(doc_type="transfer_letter")


def _pdf(document) -> bytes:
    with document.pdf.open("rb") as f:
        return f.read()


def _json(client, url, **kwargs):
    return client.get(url, HTTP_ACCEPT="application/json", **kwargs)


def _upload(client, data: bytes, *, json=True):
    extra = {"HTTP_ACCEPT": "application/json"} if json else {}
    return client.post(
        reverse("referral:verify_form"),
        {"file": SimpleUploadedFile("x.pdf", data, content_type="application/pdf")},
        **extra,
    )


# --- By code ---------------------------------------------------------------------------------


def test_code_of_a_current_document_is_authentic(client, letter, referral):
    response = _json(client, reverse("referral:verify", args=[letter.verification_code]))
    assert response.status_code == 200
    body = response.json()
    assert (body["outcome"], body["authentic"], body["current"]) == ("current", True, True)
    assert body["document"] == {
        "type": "transfer_letter",
        "title": "涉嫌犯罪案件移送书",
        "number": "fcmsa移〔2026〕1号",
        "version": 1,
        "issuing_agency": referral.agency.name,
        "issued_on": "2026-03-02",
        "status": "current",
        "verification_code": letter.verification_code,
    }
    assert body["current_version"] is None


def test_code_page_in_html_is_chinese_with_english_beside(client, letter):
    response = client.get(reverse("referral:verify", args=[letter.verification_code.lower()]))
    html = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "文书核验" in html and "Document verification" in html
    assert "fcmsa移〔2026〕1号" in html and "涉嫌犯罪案件移送书" in html
    assert "Authentic document, current version." in html


def test_code_typed_in_the_form_leads_to_its_page(client, letter):
    code = letter.verification_code
    response = client.get(reverse("referral:verify_form"), {"code": f" {code[:5]}-{code[5:]} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("referral:verify", args=[code])


def test_code_of_a_superseded_document_names_the_version_in_force(
    client, world, letter, after_commit
):
    with after_commit():
        new = issuing.document_reissue(
            document_id=letter.pk, actor=world.user("fc-msa", Role.CASE_OFFICER), reason="更正地址"
        )
    body = _json(client, reverse("referral:verify", args=[letter.verification_code])).json()
    assert (body["outcome"], body["authentic"], body["current"]) == ("superseded", True, False)
    assert body["document"]["status"] == "superseded"
    assert body["current_version"]["number"] == "fcmsa移〔2026〕1号"  # the version is apart
    assert (body["document"]["version"], body["current_version"]["version"]) == (1, 2)
    assert body["current_version"]["verification_code"] == new.verification_code
    html = client.get(reverse("referral:verify", args=[letter.verification_code])).content
    assert new.verification_code.encode() in html
    body = _json(client, reverse("referral:verify", args=[new.verification_code])).json()
    assert body["outcome"] == "current" and body["document"]["version"] == 2


def test_unknown_code_is_not_found(client, letter):
    response = _json(client, reverse("referral:verify", args=["ABCDEFGHJK"]))
    assert response.status_code == 404
    assert response.json()["outcome"] == "unknown" and response.json()["document"] is None
    assert client.get(reverse("referral:verify", args=["ABCDEFGHJK"])).status_code == 404


def test_tampered_stored_copy_is_reported(client, letter):
    """Someone with access to the file store swaps the PDF: the page says so."""
    data = bytearray(_pdf(letter))
    data[len(data) // 2] ^= 0x01
    storage, name = letter.pdf.storage, letter.pdf.name
    storage.delete(name)
    storage.save(name, ContentFile(bytes(data)))

    response = _json(client, reverse("referral:verify", args=[letter.verification_code]))
    body = response.json()
    assert (body["outcome"], body["authentic"]) == ("tampered", False)
    html = client.get(reverse("referral:verify", args=[letter.verification_code])).content.decode()
    assert "stored copy has been altered" in html


def test_missing_stored_copy_counts_as_tampered(client, letter):
    letter.pdf.storage.delete(letter.pdf.name)
    body = _json(client, reverse("referral:verify", args=[letter.verification_code])).json()
    assert body["outcome"] == "tampered"


def test_public_answer_names_the_document_and_nothing_of_the_case(client, referral, letter):
    body = _json(client, reverse("referral:verify", args=[letter.verification_code])).json()
    assert set(body) == {"outcome", "authentic", "current", "message", "document",
                         "current_version"}  # fmt: skip
    assert set(body["document"]) == PUBLIC_KEYS
    html = client.get(reverse("referral:verify", args=[letter.verification_code])).content.decode()
    uploaded = _upload(client, _pdf(letter), json=False).content.decode()
    secrets = [
        "王秘密",
        "510703199001011234",
        "13800000000",
        "问题白酒",
        referral.title,
        referral.reference,
        referral.facts[:10],
        referral.suspected_charge,
        str(referral.case_officer),
        referral.police_agency.name,
    ]
    for page in (str(body), html, uploaded):
        assert [s for s in secrets if s in page] == []


# --- By uploaded PDF -------------------------------------------------------------------------


def test_uploaded_issued_pdf_is_authentic_and_current(client, letter):
    body = _upload(client, _pdf(letter)).json()
    assert (body["outcome"], body["document"]["number"]) == ("current", "fcmsa移〔2026〕1号")
    html = _upload(client, _pdf(letter), json=False).content.decode()
    assert "Authentic document, current version." in html


def test_uploaded_superseded_pdf_is_authentic_but_superseded(client, world, letter, after_commit):
    with after_commit():
        issuing.document_reissue(
            document_id=letter.pk, actor=world.user("fc-msa", Role.CASE_OFFICER), reason="更正"
        )
    body = _upload(client, _pdf(letter)).json()
    assert (body["outcome"], body["authentic"], body["current"]) == ("superseded", True, False)
    assert body["current_version"]["version"] == 2


def test_uploaded_pdf_with_one_byte_changed_is_not_an_issued_document(client, letter):
    data = bytearray(_pdf(letter))
    data[-20] ^= 0x01
    assert hashlib.sha256(bytes(data)).hexdigest() != letter.sha256
    response = _upload(client, bytes(data))
    assert response.status_code == 200
    assert response.json() == {
        "outcome": "unknown",
        "authentic": False,
        "current": False,
        "message": "不是通过本系统签发的文书。",  # Chinese unless English is chosen
        "document": None,
        "current_version": None,
    }


def test_upload_needs_a_file_and_respects_the_size_limit(client, settings, letter):
    response = client.post(reverse("referral:verify_form"), {}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    settings.XIANJIE_MAX_UPLOAD_BYTES = 1000
    assert _upload(client, b"%PDF-" + b"0" * 2000).status_code == 413
    settings.XIANJIE_MAX_UPLOAD_BYTES = 10
    too_big = b"%PDF-" + b"0" * (100 * 1024)  # refused from its Content-Length, unread
    assert _upload(client, too_big).status_code == 413


def test_upload_needs_no_csrf_token(letter):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert _upload(strict, _pdf(letter)).json()["outcome"] == "current"


def test_uploads_are_rate_limited_per_address(client, monkeypatch, letter):
    monkeypatch.setitem(views.RATE_LIMITS, "upload", 2)
    data = _pdf(letter)
    assert [_upload(client, data).status_code for _ in range(3)] == [200, 200, 429]
    other = _upload(client, data, json=True)
    assert other.status_code == 429 and other["Retry-After"] == "60"
    response = client.post(
        reverse("referral:verify_form"),
        {"file": SimpleUploadedFile("x.pdf", data)},
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 200


def test_code_lookups_are_rate_limited_per_address(client, monkeypatch, letter):
    monkeypatch.setitem(views.RATE_LIMITS, "code", 3)
    url = reverse("referral:verify", args=[letter.verification_code])
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]


# --- Download --------------------------------------------------------------------------------


def test_download_gives_the_frozen_bytes_named_by_number(client, world, letter):
    client.force_login(world.user("fc-msa", Role.CASE_OFFICER))
    response = client.get(reverse("referral:document_pdf", args=[letter.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # Reading the stream to its end closes the response the way a server does; an explicit
    # close() would fire request_finished and close the test's database connection.
    assert b"".join(response.streaming_content) == _pdf(letter)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;")
    assert "filename*=utf-8''fcmsa%E7%A7%BB%E3%80%942026%E3%80%951%E5%8F%B7.pdf" in disposition
    response = client.get(reverse("referral:document_pdf", args=[letter.pk]), {"download": "1"})
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.getvalue() == _pdf(letter)


@pytest.mark.parametrize("who", [("fc-proc", Role.PROCURATOR), ("fc-police", Role.POLICE_INTAKE)])
def test_download_is_open_to_the_procuratorate_and_the_receiving_police(client, world, letter, who):
    client.force_login(world.user(*who))
    response = client.get(reverse("referral:document_pdf", args=[letter.pk]))
    assert response.status_code == 200
    assert response.getvalue() == _pdf(letter)


@pytest.mark.parametrize(
    "who",
    [
        ("yx-msa", Role.CASE_OFFICER),
        ("yx-proc", Role.PROCURATOR),
        ("my-police", Role.POLICE_REVIEWER),
    ],
)
def test_download_by_outsiders_looks_like_a_missing_document(client, world, letter, who):
    client.force_login(world.user(*who))
    assert client.get(reverse("referral:document_pdf", args=[letter.pk])).status_code == 404
    assert client.get(reverse("referral:document_pdf", args=[999999])).status_code == 404


def test_download_needs_a_login(client, letter):
    response = client.get(reverse("referral:document_pdf", args=[letter.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_download_refuses_an_altered_stored_copy(client, world, letter):
    storage, name = letter.pdf.storage, letter.pdf.name
    storage.delete(name)
    storage.save(name, ContentFile(b"%PDF-1.4 forged"))
    client.force_login(world.user("fc-msa", Role.CASE_OFFICER))
    assert client.get(reverse("referral:document_pdf", args=[letter.pk])).status_code == 500

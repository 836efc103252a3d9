"""Issued documents and seized items in the admin: the audit administrator reads, nobody edits."""

import pytest
from django.urls import reverse

from referral import lifecycle
from referral.models import Role
from tests.factories import UserFactory
from tests.security.helpers import login_verified

S = lifecycle.Status


def _admin(role):
    return UserFactory(username=f"adm-{role}", agency=None, is_staff=True, roles=[role])


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.AUDIT_ADMIN, 200), (Role.SYSTEM_ADMIN, 403), (Role.SECURITY_ADMIN, 403)],
)
def test_documents_are_read_by_the_audit_administrator_only(client, world, role, status):
    referral = world.reach(S.TRANSFER_APPROVED)
    world.do(referral, "transfer")
    document = referral.documents.get(doc_type="transfer_letter")
    login_verified(client, _admin(role))
    for name in ("admin:referral_document_changelist", "admin:referral_seizeditem_changelist"):
        assert client.get(reverse(name)).status_code == status
    change = reverse("admin:referral_document_change", args=[document.pk])
    assert client.get(change).status_code == status
    assert client.post(change, {"number": "forged"}).status_code == 403
    delete = reverse("admin:referral_document_delete", args=[document.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    document.refresh_from_db()
    assert document.number == "fcmsa移〔2026〕1号"

"""The audit chain becomes keyed (HMAC-SHA256 under XIANJIE_AUDIT_KEY, outside the database).

Chains written before were unkeyed SHA-256; they are re-hashed once here, before the triggers
that forbid updating events exist (next migration). Only pre-release installations have any.
The canonical form is spelled out here so later changes to the service cannot change history.
"""

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.db import migrations

GENESIS_HASH = "0" * 64


def _canonical(event) -> bytes:
    body = {
        "seq": event.seq,
        "prev_hash": event.prev_hash,
        "referral": event.referral_id,
        "actor": event.actor_id,
        "actor_agency": event.actor_agency_id,
        "action": event.action,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "reason": event.reason,
        "payload": event.payload,
        "request_id": event.request_id,
        "created_at": event.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def rekey(apps, schema_editor):
    AuditEvent = apps.get_model("referral", "AuditEvent")
    AuditChainHead = apps.get_model("referral", "AuditChainHead")
    key = settings.XIANJIE_AUDIT_KEY.encode()
    prev = GENESIS_HASH
    # Hashes are unique: park them first so no intermediate state collides.
    for event in AuditEvent.objects.order_by("seq").iterator():
        AuditEvent.objects.filter(pk=event.pk).update(hash=f"rekey-{event.pk}")
    for event in AuditEvent.objects.order_by("seq").iterator():
        event.prev_hash = prev
        event.hash = hmac.new(key, _canonical(event), hashlib.sha256).hexdigest()
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=event.prev_hash, hash=event.hash)
        prev = event.hash
    AuditChainHead.objects.filter(pk=1).update(last_hash=prev)


class Migration(migrations.Migration):
    dependencies = [("referral", "0005_notice")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]

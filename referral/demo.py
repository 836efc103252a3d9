"""Demo data: agencies, users for every role and referrals spread over the lifecycle, all
created through the services (the lifecycle's rules apply to demo data too)."""

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction

from . import lifecycle
from .demo_coordination import seed_demo_coordination
from .demo_meetings import seed_demo_meeting
from .models import Agency, AttachmentKind, Referral, Role, ServiceRecord, User
from .permissions import SIDE_ROLES, side_agency
from .services import referrals as case
from .services.clocks import clocks_sweep
from .services.service_records import addressee_side
from .services.signing import document_sign_for, receiving_step, step_receives
from .services.transitions import run_transition
from .timeutil import frozen_now, now

# Meets the password rules (12 characters, four classes): referral/accounts/validators.py.
DEMO_PASSWORD = "Xianjie@2026"
FIXTURES = Path(settings.BASE_DIR) / "fixtures"
# What the officer attaches to a transfer: items ① to ③ of Decree 310 art. 6 are issued by the
# transfer step itself (lifecycle.attachments.GENERATED_TRANSFER_ITEMS).
TRANSFER_ITEMS = (
    AttachmentKind.TEST_REPORT,
    AttachmentKind.OTHER_MATERIALS,
)


def placeholder_pdf(title: str) -> bytes:
    """A valid one-page PDF naming the document (demo stand-in for a scanned file)."""
    text = title.encode("ascii", "replace").decode()
    stream = f"BT /F1 14 Tf 72 760 Td (Xianjie demo attachment: {text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def prepare_step(referral: Referral, name: str, *, officer: User, teammate: User) -> None:
    """Does what an officer does before `name` can succeed: appoint the special group and attach
    the report, attach the transfer's test report and other materials, mark an IP case, record
    a revocation."""
    if name == "submit_transfer_report":
        case.case_team_set(
            referral_id=referral.pk, actor=officer, member_ids=[officer.pk, teammate.pk]
        )
        _attach(referral, officer, AttachmentKind.TRANSFER_REPORT)
    elif name == "transfer":
        for kind in TRANSFER_ITEMS:
            _attach(referral, officer, kind)
    elif name == "find_reasonable_suspicion":
        case.referral_update_case(referral_id=referral.pk, actor=officer, is_ip_case=True)
    elif name == "close" and referral.status == lifecycle.Status.ADMIN_HANDLING_AFTER_NON_FILING:
        case.penalty_record(
            referral_id=referral.pk,
            actor=officer,
            decision_number=f"{referral.agency.short_name}罚〔{now().year}〕2号",
            decided_on=now().date(),
            measures="没收违法所得，罚款",
        )
    elif name == "propose_detention":
        case.penalty_record(
            referral_id=referral.pk,
            actor=officer,
            decision_number=f"{referral.agency.short_name}罚〔{now().year}〕1号",
            decided_on=now().date(),
            measures="吊销食品经营许可证",
            licence_revoked=True,
        )


def _attach(referral, officer, kind):
    case.attachment_add(
        referral_id=referral.pk,
        actor=officer,
        kind=kind,
        name=f"{kind}.pdf",
        data=placeholder_pdf(f"{kind} / {referral.reference}"),
    )


def actor_for(referral: Referral, name: str) -> User:
    """A demo user holding the step's role in the agency on the step's side."""

    step = lifecycle.step_of(lifecycle.transitions()[name][0])
    referral.refresh_from_db()
    agency = side_agency(referral, step.side)
    return (
        User.objects.filter(agency=agency, groups__name=step.role, is_active=True)
        .order_by("-is_principal_head", "pk")
        .first()
    )


# The receipt checklist of a complete transfer (Decree 310 art. 6).
COMPLETE_CHECKLIST = {str(kind): "complete" for kind in lifecycle.MANDATORY_TRANSFER_ATTACHMENTS}


def sign_for_documents(
    referral: Referral, *, doc_type: str | None = None, with_steps: bool = False
) -> list[ServiceRecord]:
    """A demo officer of each addressee signs for the referral's documents sent and not yet
    received: all of them, or the latest of `doc_type`. Documents whose receipt is a step (the
    transfer letter: sign_receipt) only `with_steps` or when named, since signing takes the step."""

    records = ServiceRecord.objects.select_related("document").filter(
        document__referral=referral, received_at__isnull=True, document__superseded_at__isnull=True
    )
    if doc_type is not None:
        records = records.filter(document__doc_type=doc_type).order_by("-document__issued_at")[:1]
    signed = []
    for record in records:
        if step_receives(record.document.doc_type) and not (with_steps or doc_type):
            continue
        record.refresh_from_db()
        if record.received_at is not None:
            continue  # received with another document by the same step
        if step_receives(record.document.doc_type):
            # Signed for with its step, which records the checklist of Decree 310 art. 6.
            referral.refresh_from_db(fields=["status"])
            name = receiving_step(record.document.doc_type, referral.status)
            if name is not None:
                run_transition(
                    referral_id=referral.pk,
                    actor=actor_for(referral, name),
                    name=name,
                    receipt_checklist=COMPLETE_CHECKLIST,
                )
                record.refresh_from_db()
                signed.append(record)
            continue
        signer = (
            User.objects.filter(
                agency=record.addressee_id,
                groups__name__in=SIDE_ROLES[addressee_side(record.document)],
                is_active=True,
            )
            .order_by("pk")
            .first()
        )
        signed.append(document_sign_for(actor=signer, document_id=record.document_id))
    return signed


def seed_users(users_file: Path) -> list[User]:
    created = []
    for row in json.loads(users_file.read_text()):
        user, _ = User.objects.update_or_create(
            username=row["username"],
            defaults={
                "full_name": row["full_name"],
                "agency": Agency.objects.get(code=row["agency"]) if row["agency"] else None,
                "is_staff": row.get("is_staff", False),
                "is_principal_head": row.get("is_principal_head", False),
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set(Group.objects.filter(name__in=row["roles"]))
        created.append(user)
    return created


def _document_fields(spec: dict) -> dict:
    """What the demo case's transfer documents print besides its facts."""
    fields = {name: spec[name] for name in case.DOCUMENT_FIELDS if spec.get(name)}
    for name in ("goods_value", "sales_amount"):
        if name in fields:
            fields[name] = Decimal(fields[name])
    return fields


def seed_referral(spec: dict) -> Referral:
    """Creates one scripted case, stepping through its history from `days_ago` until now."""
    agency_prefix = spec["agency"]
    officer = User.objects.get(username=f"{agency_prefix}_officer")
    teammate = User.objects.get(username=f"{agency_prefix}_officer2")
    moment = now() - timedelta(days=spec["days_ago"])
    with frozen_now(moment):
        referral = case.referral_create(
            actor=officer,
            title=spec["title"],
            kind=spec["kind"],
            facts=spec["facts"],
            suspected_charge=spec["suspected_charge"],
            amount_involved=Decimal(spec["amount_involved"]),
            **_document_fields(spec),
        )
        case.party_add(referral_id=referral.pk, actor=officer, **spec["party"])
    for item in spec["steps"]:
        item = {"step": item} if isinstance(item, str) else item
        moment += timedelta(hours=item.get("after_hours", 3))
        with frozen_now(moment):
            prepare_step(referral, item["step"], officer=officer, teammate=teammate)
            _run_demo_step(referral, item["step"])
    return referral


def _run_demo_step(referral, name):
    step = lifecycle.step_of(lifecycle.transitions()[name][0])
    run_transition(
        referral_id=referral.pk,
        actor=actor_for(referral, name),
        name=name,
        reason="（演示）依据调查结果作出决定。" if step.reason_required else "",
        detention_days=10 if "detention_days" in step.required_inputs else None,
    )
    # The addressees sign for what the step sent, at once (the clocks they start run from then).
    sign_for_documents(referral)


@transaction.atomic
def seed_demo(fixtures: Path = FIXTURES) -> list[User]:
    """Loads agencies, rule sets, users and the scripted referrals; marks overdue clocks."""
    call_command(
        "loaddata", str(fixtures / "agencies.json"), str(fixtures / "rulesets.json"), verbosity=0
    )
    users = seed_users(fixtures / "demo_users.json")
    for spec in json.loads((fixtures / "demo_referrals.json").read_text()):
        seed_referral(spec)
    seed_demo_meeting()
    seed_demo_coordination()
    clocks_sweep()
    return users


def demo_roles(user: User) -> str:
    return "、".join(str(Role(r).label) for r in sorted(user.role_codes))

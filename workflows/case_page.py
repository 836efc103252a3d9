"""The case page's selector: everything the page shows, loaded in a fixed number of queries
(tests/workflows/test_queries.py), with the documents' versions and the main line of the
lifecycle with the referral's place on it."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from referral import lifecycle, permissions, selectors
from referral.deadlines import NATIONAL
from referral.documents.types import PRIVATE_TYPES
from referral.models import AttachmentKind, Referral, RuleSet, User
from referral.services.receipts import missing_items
from referral.services.referrals import extension_request_among
from referral.services.service_records import addressee_side
from referral.services.signing import step_receives


@dataclass
class CasePage:
    referral: Referral
    events: list
    parties: list
    attachments: list
    attachment_reads: list
    penalties: list
    clocks: list
    documents: list
    seized_items: list
    team: list
    chart: list
    timeline: list
    timeline_scope: str
    # Supplements and corrections after transfer, each with its files (`.files`).
    supplements: list = field(default_factory=list)
    # The police's receipt checklists, latest last (one per receipt: a forwarded case has two).
    receipt_checklists: list = field(default_factory=list)

    @property
    def receipt_checklist(self):
        return self.receipt_checklists[-1] if self.receipt_checklists else None

    @property
    def proposal(self):
        """The audit event of the proposal the referral awaits a head's decision on (MPS rules
        art. 178, SPP rules art. 561), or None: the latest step, if it was a proposal and the
        referral still stands where it put it."""
        steps = lifecycle.transitions()
        for event in reversed(self.events):
            if event.action in steps:
                proposes = lifecycle.step_named(event.action).proposes
                return event if proposes and event.to_status == self.referral.status else None
        return None

    @property
    def extension_request(self):
        """The reviewer's request to extend the review that awaits the police head (its audit
        event), or None."""
        return extension_request_among(self.events)

    @property
    def missing_items(self) -> list[str]:
        """Labels of the items the latest receipt checklist marks missing."""
        return [AttachmentKind(kind).label for kind in missing_items(self.receipt_checklist)]


def case_page_for_user(*, user, referral_id: int, timeline_scope: str = "") -> CasePage:
    """The referral `user` may see (NotFound otherwise) with every row its page shows; the
    timeline narrowed to `timeline_scope` (TIMELINE_SCOPES; the default when unknown)."""
    referral = selectors.referral_get_for_user(user, referral_id)
    events = list(referral.events.select_related("actor", "actor_agency").order_by("seq"))
    reads = list(selectors.attachment_reads_for_user(user=user, referral=referral))
    file_reads = list(selectors.case_file_reads_for_user(user=user, referral=referral))
    scope = timeline_scope if timeline_scope in dict(TIMELINE_SCOPES) else DEFAULT_SCOPE
    attachments = list(referral.attachments.select_related("uploaded_by"))
    return CasePage(
        referral=referral,
        events=events,
        timeline=timeline(
            user=user, events=events, reads=reads, file_reads=file_reads, scope=scope
        ),
        timeline_scope=scope,
        parties=list(referral.parties.all()),
        attachments=attachments,
        supplements=supplements_with_files(referral, attachments),
        receipt_checklists=list(
            referral.receipt_checklists.select_related("signed_by", "police_agency")
        ),
        attachment_reads=reads,
        penalties=list(referral.penalties.all()),
        clocks=clocks_with_rule_sets(referral),
        documents=documents_for(user, referral),
        seized_items=list(referral.seized_items.all()),
        team=list(referral.case_team.order_by("username")),
        chart=chart(referral, events),
    )


def clocks_with_rule_sets(referral):
    """The referral's clocks, each with the name of the rule set its period came from (national,
    or a jurisdiction's: DOMAIN.md §9.4); the names cost one query, only when a local rule set
    applies."""
    clocks = list(referral.clocks.select_related("owner_agency").order_by("started_at", "pk"))
    local = {c.ruleset for c in clocks} - {NATIONAL}
    names = (
        dict(RuleSet.objects.filter(code__in=local).values_list("code", "name")) if local else {}
    )
    for clock in clocks:
        clock.ruleset_name = names.get(clock.ruleset, clock.ruleset)
    return clocks


def supplements_with_files(referral, attachments) -> list:
    """The supplements, each with its files taken from the attachments already loaded."""
    supplements = list(referral.supplements.select_related("created_by", "agency"))
    for supplement in supplements:
        supplement.files = [a for a in attachments if a.supplement_id == supplement.pk]
    return supplements


def documents_for(user, referral):
    """Every version of every document issued on the referral, oldest first, each with the
    version that replaced it and whether `user` may correct it now."""
    # Another agency's own prints (the case summary) are not this user's to see.
    others_private = Q(doc_type__in=PRIVATE_TYPES) & ~Q(issuing_agency_id=user.agency_id)
    documents = list(
        referral.documents.exclude(others_private)
        .select_related(
            "issued_by", "issuing_agency", "service", "service__addressee", "service__recorded_by"
        )
        .order_by("issued_at", "pk")
    )
    successors = {d.replaces_id: d for d in documents if d.replaces_id}
    for document in documents:
        document.successor = successors.get(document.pk)
        # What the reissue service allows: the current version, not while it renders.
        document.may_correct = (
            document.superseded_at is None
            and not document.is_rendering
            and permissions.may_correct_document(user, document)
        )
        # Its service (送达): the addressee signs for it; the sender records a paper service
        # (not of what a step receives: the transfer letter is signed by sign_receipt).
        record = getattr(document, "service", None)
        document.record = record
        open_record = record is not None and record.received_at is None
        open_record = open_record and document.superseded_at is None
        # A document received by a step (the transfer letter: sign_receipt, with its checklist)
        # is signed for with that step, not here.
        document.may_sign = (
            open_record
            and not step_receives(document.doc_type)
            and permissions.may_sign_for_document(user, record, addressee_side(document))
        )
        document.may_record_paper = (
            open_record
            and not step_receives(document.doc_type)
            and permissions.may_correct_document(user, document)
        )
    return documents


def chart(referral, events):
    """The main line with the states this referral passed and its current state highlighted; a
    state off the main line is shown after it."""
    visited = {event.to_status for event in events}
    nodes = [
        (code, lifecycle.Status(code).label, code in visited, code == referral.status)
        for code in lifecycle.MAIN_LINE
    ]
    if referral.status not in lifecycle.MAIN_LINE:
        nodes.append((referral.status, referral.get_status_display(), True, True))
    return nodes


# --- the timeline -------------------------------------------------------------------------------

STEP, DOCUMENT, RECORD, ROUTINE = "step", "document", "record", "routine"
# Recorded actions that are not lifecycle steps, by kind. Lifecycle steps are STEP; an action
# not named here is RECORD, so that nothing new disappears from the default view unnoticed.
ACTION_KINDS = {
    "create": STEP,
    "request_review_extension": STEP,
    "extend_review": STEP,
    "refuse_review_extension": STEP,
    "clock_overdue": STEP,
    "record_penalty": STEP,
    "issue_document": DOCUMENT,
    "reissue_document": DOCUMENT,
    "render_document": DOCUMENT,  # when the PDF became available
    "render_document_failed": DOCUMENT,
    "retry_render_document": DOCUMENT,
    "add_attachment": DOCUMENT,
    "add_seized_item": DOCUMENT,
    "record_supplement": DOCUMENT,
    # Reads and task handling: under "everything" only.
    "view_case_file": ROUTINE,
    "claim_task": ROUTINE,
    "release_task": ROUTINE,
    "reassign_task": ROUTINE,
}
# Reads of the file are shown only to the reader's own agency (and, in the admin, to the audit
# administrator): another side's reading is no business of the party being read. Reads are kept
# outside the audit chain now (CaseFileRead); this covers those recorded in it before.
READ_ACTIONS = ("view_case_file",)
DEFAULT_SCOPE = "main"
TIMELINE_SCOPES = (
    ("main", _("Steps, documents and record")),
    ("steps", _("Legal steps")),
    ("documents", _("Documents and files")),
    ("all", _("Everything")),
)
SCOPE_KINDS = {
    "main": {STEP, DOCUMENT, RECORD},
    "steps": {STEP},
    "documents": {DOCUMENT},
    "all": {STEP, DOCUMENT, RECORD, ROUTINE},
}


@dataclass(frozen=True)
class TimelineRow:
    at: datetime
    actor: User | None
    agency: object
    action: str
    from_status: str = ""
    to_status: str = ""
    reason: str = ""


def action_kind(action: str) -> str:
    if action in lifecycle.transitions():
        return STEP
    return ACTION_KINDS.get(action, RECORD)


def _others_private_document(user, event) -> bool:
    """An event of a private document (the agency's case summary: issued, rendered, reissued)
    is the transferring agency's business alone, like the document itself."""
    payload = event.payload or {}
    return payload.get("doc_type") in PRIVATE_TYPES and user.agency_id != event.referral.agency_id


def timeline(*, user, events, reads, file_reads=(), scope: str) -> list[TimelineRow]:
    """The events and the reads of attachments and of the case file `scope` shows to `user`,
    oldest first (the reads given are already those of the user's own agency)."""
    kinds = SCOPE_KINDS[scope]
    rows = [
        TimelineRow(
            at=e.created_at,
            actor=e.actor,
            agency=e.actor_agency,
            action=e.action,
            from_status=e.from_status,
            to_status=e.to_status,
            reason=e.reason,
        )
        for e in events
        if action_kind(e.action) in kinds
        and (e.action not in READ_ACTIONS or e.actor_agency_id == user.agency_id)
        and not _others_private_document(user, e)
    ]
    if ROUTINE in kinds:
        rows += [
            TimelineRow(
                at=r.read_at,
                actor=r.reader,
                agency=None,
                action="download_attachment" if r.downloaded else "view_attachment",
                reason=r.attachment.original_name,
            )
            for r in reads
        ]
        rows += [
            TimelineRow(at=r.read_at, actor=r.reader, agency=None, action="view_case_file")
            for r in file_reads
        ]
    return sorted(rows, key=lambda row: row.at)

"""The case page's selector: everything the page shows, loaded in a fixed number of queries
(tests/workflows/test_queries.py), with the documents' versions and the main line of the
lifecycle with the referral's place on it."""

from dataclasses import dataclass

from referral import lifecycle, permissions, selectors
from referral.models import Referral
from referral.services.service_records import addressee_side
from referral.services.signing import step_receives


@dataclass
class CasePage:
    referral: Referral
    events: list
    parties: list
    attachments: list
    penalties: list
    clocks: list
    documents: list
    seized_items: list
    team: list
    chart: list


def case_page_for_user(*, user, referral_id: int) -> CasePage:
    """The referral `user` may see (NotFound otherwise) with every row its page shows."""
    referral = selectors.referral_get_for_user(user, referral_id)
    events = list(referral.events.select_related("actor", "actor_agency").order_by("seq"))
    return CasePage(
        referral=referral,
        events=events,
        parties=list(referral.parties.all()),
        attachments=list(referral.attachments.select_related("uploaded_by")),
        penalties=list(referral.penalties.all()),
        clocks=list(referral.clocks.select_related("owner_agency").order_by("started_at", "pk")),
        documents=documents_for(user, referral),
        seized_items=list(referral.seized_items.all()),
        team=list(referral.case_team.order_by("username")),
        chart=chart(referral, events),
    )


def documents_for(user, referral):
    """Every version of every document issued on the referral, oldest first, each with the
    version that replaced it and whether `user` may correct it now."""
    documents = list(
        referral.documents.select_related(
            "issued_by", "issuing_agency", "service", "service__addressee", "service__recorded_by"
        ).order_by("issued_at", "pk")
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
        document.may_sign = open_record and permissions.may_sign_for_document(
            user, record, addressee_side(document)
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

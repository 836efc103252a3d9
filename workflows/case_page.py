"""What the case page shows beyond the referral's own rows: its documents with their versions,
and the main line of the lifecycle with the referral's place on it."""

from referral import lifecycle, permissions


def documents_for(user, referral):
    """Every version of every document issued on the referral, oldest first, each with the
    version that replaced it and whether `user` may correct it now."""
    documents = list(
        referral.documents.select_related("issued_by", "issuing_agency").order_by("issued_at", "pk")
    )
    by_pk = {d.pk: d for d in documents}
    for document in documents:
        document.successor = None
    for document in documents:
        if document.replaces_id in by_pk:
            by_pk[document.replaces_id].successor = document
    for document in documents:
        document.may_correct = (
            document.superseded_at is None
            and document.is_ready
            and permissions.may_correct_document(user, document)
        )
    return documents


MAIN_LINE = (
    "ADMIN_CASE_UNDER_INVESTIGATION",
    "SUSPECTED_CRIME_FOUND",
    "TRANSFER_REPORT_PENDING_APPROVAL",
    "TRANSFER_APPROVED",
    "TRANSFERRED_AWAITING_RECEIPT",
    "RECEIVED_BY_POLICE",
    "UNDER_POLICE_REVIEW",
    "FILED",
    "ITEMS_HANDED_OVER",
    "PROSECUTION_STAGE_REVIEW",
    "PROSECUTION_STAGE_PROSECUTED",
    "JUDGED",
    "CLOSED",
)


def chart(referral, events):
    """The main line with the states this referral passed and its current state highlighted; a
    state off the main line is shown after it."""
    visited = {event.to_status for event in events}
    nodes = [
        (code, lifecycle.Status(code).label, code in visited, code == referral.status)
        for code in MAIN_LINE
    ]
    if referral.status not in MAIN_LINE:
        nodes.append((referral.status, referral.get_status_display(), True, True))
    return nodes

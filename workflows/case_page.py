"""What the case page shows beyond the referral's own rows: its documents with their versions,
and the main line of the lifecycle with the referral's place on it."""

from referral import lifecycle, permissions


def documents_for(user, referral):
    """Every version of every document issued on the referral, oldest first, each with the
    version that replaced it and whether `user` may correct it now."""
    documents = list(
        referral.documents.select_related("issued_by", "issuing_agency").order_by("issued_at", "pk")
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

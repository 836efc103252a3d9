"""The case page's selector: everything the page shows, loaded in a fixed number of queries
(tests/workflows/test_queries.py), with the documents' versions and the main line of the
lifecycle with the referral's place on it."""

from dataclasses import dataclass

from referral import lifecycle, permissions, selectors
from referral.deadlines import NATIONAL
from referral.models import Referral, RuleSet


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

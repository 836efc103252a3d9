"""factory_boy factories and `World`: agencies and users for every role, and referrals driven
into any lifecycle state through the real services."""

from collections import deque
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from referral import lifecycle
from referral.demo import prepare_step, sign_for_documents
from referral.models import Agency, AgencyKind, AgencyLevel, Role, User
from referral.permissions import side_agency
from referral.services import referrals as case
from referral.services.transitions import run_transition
from referral.timeutil import frozen_now

SHANGHAI = ZoneInfo("Asia/Shanghai")
S = lifecycle.Status


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"agency-{n}")
    name = factory.LazyAttribute(lambda o: f"Agency {o.code}")
    short_name = "测"
    kind = AgencyKind.MARKET_SUPERVISION
    level = AgencyLevel.COUNTY
    region_code = "510703"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    agency = factory.SubFactory(AgencyFactory)
    password = factory.django.Password("pw")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


ROLES_BY_KIND = {
    AgencyKind.MARKET_SUPERVISION: (Role.CASE_OFFICER, Role.AGENCY_HEAD),
    AgencyKind.POLICE: (Role.POLICE_INTAKE, Role.POLICE_REVIEWER, Role.POLICE_HEAD),
    AgencyKind.PROCURATORATE: (Role.PROCURATOR, Role.CHIEF_PROCURATOR),
}
# code prefix -> (level, region)
REGIONS = {
    "fc": (AgencyLevel.COUNTY, "510703"),
    "my": (AgencyLevel.CITY, "510700"),
    "yx": (AgencyLevel.COUNTY, "510704"),
}
KIND_CODES = {
    AgencyKind.MARKET_SUPERVISION: "msa",
    AgencyKind.POLICE: "police",
    AgencyKind.PROCURATORATE: "proc",
}


class World:
    """Fucheng county (fc) is home; Mianyang city (my) is another competent level; Youxian (yx)
    is a foreign county whose officers must see nothing of Fucheng's referrals."""

    def __init__(self, start: datetime | None = None):
        self.t = start or datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)
        self.sign_at_once = True
        self.agencies: dict[str, Agency] = {}
        self.users: dict[tuple[str, str], User] = {}
        # Built in four statements (almost every test starts with a world): the agencies, the
        # users with one password hash, the group of their roles, their memberships.
        agencies = [
            Agency(
                code=f"{prefix}-{kcode}",
                name=f"Agency {prefix}-{kcode}",
                kind=kind,
                level=level,
                region_code=region,
                short_name=f"{prefix}{kcode}",
            )
            for prefix, (level, region) in REGIONS.items()
            for kind, kcode in KIND_CODES.items()
        ]
        self.agencies = {a.code: a for a in Agency.objects.bulk_create(agencies)}
        password = make_password("pw")
        roles: dict[tuple[str, str], str] = {}
        users: list[User] = []

        def add(key, username, agency, role, principal=False):
            roles[key] = role
            users.append(
                User(
                    username=username,
                    agency=agency,
                    password=password,
                    is_principal_head=principal,
                )
            )

        for code, agency in self.agencies.items():
            prefix = code.split("-")[0]
            for role in ROLES_BY_KIND[agency.kind]:
                # The head of each agency is its principal head (正职).
                add((code, role), f"{prefix}-{role}", agency, role, role == Role.AGENCY_HEAD)
        fc_msa = self.agencies["fc-msa"]
        add(("fc-msa", "case_officer2"), "fc-case_officer2", fc_msa, Role.CASE_OFFICER)
        # A deputy head (副职): an agency head who may not approve a transfer (Decree 310 art. 5).
        add(("fc-msa", "deputy_head"), "fc-deputy_head", fc_msa, Role.AGENCY_HEAD)
        created = User.objects.bulk_create(users)
        self.users = dict(zip(roles, created, strict=True))
        groups = dict(Group.objects.filter(name__in=set(roles.values())).values_list("name", "pk"))
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=self.users[key].pk, group_id=groups[role])
            for key, role in roles.items()
        )

    def user(self, agency_code: str, role: str) -> User:
        return self.users[(agency_code, role)]

    def at(self):
        return frozen_now(self.t)

    def advance(self, **delta):
        self.t += timedelta(**delta)

    # --- acting -------------------------------------------------------------------------------

    def actor_for(self, referral, name: str) -> User:
        step = lifecycle.step_of(lifecycle.transitions()[name][0])
        referral.refresh_from_db()

        return self.user(side_agency(referral, step.side).code, step.role)

    def inputs_for(self, name: str) -> dict:
        step = lifecycle.step_of(lifecycle.transitions()[name][0])
        kwargs = {"reason": "理由：测试"} if step.reason_required else {}
        if "police_agency" in step.required_inputs:
            kwargs["police_agency_id"] = self.agencies["my-police"].pk
        if "detention_days" in step.required_inputs:
            kwargs["detention_days"] = 10
        return kwargs

    def do(self, referral, name: str, actor: User | None = None, prepare=True, **kwargs):
        if prepare:
            self.prepare(referral, name)
        actor = actor or self.actor_for(referral, name)
        with self.at():
            result = run_transition(
                referral_id=referral.pk,
                actor=actor,
                name=name,
                **{**self.inputs_for(name), **kwargs},
            )
            if self.sign_at_once:
                # The addressees sign for what the step sent at once, so the periods that run
                # from the receipt (DOMAIN.md §9.1) start with the step, as a test expects.
                sign_for_documents(referral)
        self.advance(hours=2)
        return result

    def prepare(self, referral, name: str) -> None:
        """Meets the step's conditions the way a user would (shared with the demo), and lets
        time pass where a step needs a period to have run out."""
        with self.at():
            prepare_step(
                referral,
                name,
                officer=self.user("fc-msa", Role.CASE_OFFICER),
                teammate=self.user("fc-msa", "case_officer2"),
            )
        if name == "correct_overdue_decision" and not referral.clocks.filter(
            rule="overdue_explanation"
        ):
            # The 7 days to lapse run from the procuratorate's demand (SPP art. 562).
            self.do(referral, "demand_overdue_explanation", prepare=False)
        if name in (
            "report_overdue_decision",
            "issue_correction_notice",
            "correct_overdue_decision",
        ):
            self.advance(days=31)
        elif name == "propose_filing_order":
            referral.refresh_from_db(fields=["status"])
            if referral.status == S.EXPLANATION_REQUESTED:
                self.advance(days=10)  # the police let their seven days pass (SPP rules art. 560)
        elif name == "chase_supervised_case":
            self.advance(days=100)

    # --- reaching a state ---------------------------------------------------------------------

    def new_referral(self, kind=lifecycle.ReferralKind.CRIMINAL_TRANSFER):
        with self.at():
            return case.referral_create(
                actor=self.user("fc-msa", Role.CASE_OFFICER),
                title="某食品公司销售有毒有害食品案",
                kind=kind,
                facts="经查，当事人在生产的食品中添加国家禁用物质。",
                suspected_charge="生产、销售有毒、有害食品罪",
                amount_involved="128000.00",
            )

    def reach(self, state: str, via: tuple[str, ...] = (), kind: str | None = None):
        """A fresh referral driven along a shortest path into `state` (optionally through steps)."""
        kind, path = path_to(state, via, kind)
        referral = self.new_referral(kind)
        for name in path:
            self.do(referral, name)
        referral.refresh_from_db()
        assert referral.status == state, (state, path, referral.status)
        return referral


CRIMINAL_ONLY = {
    "find_suspected_crime",
    "find_reasonable_suspicion",
    "sign_receipt",
    "open_non_transfer_review",
}
DETENTION_ONLY = {"propose_detention"}
# Steps a shortest path should not take because their preconditions are built by other steps.
# A proposal sent back, a transfer to other police approved, or a non-transfer review closed,
# returns where it came from, which a path through the graph cannot know
# (tests/referral/test_officials.py and test_proposals.py take these).
AVOID_ON_PATHS = {
    "find_reasonable_suspicion",
    "chase_supervised_case",
    "return_decision_proposal",
    "return_filing_order_proposal",
    "return_police_proposal",
    "transfer_to_other_police",
    "close_non_transfer_review",
}


def edges(kind):
    skip = DETENTION_ONLY if kind == lifecycle.ReferralKind.CRIMINAL_TRANSFER else CRIMINAL_ONLY
    for name, ts in lifecycle.transitions().items():
        if name in skip or name in AVOID_ON_PATHS:
            continue
        for t in ts:
            for target in lifecycle.possible_targets(t):
                if target != t.source:
                    yield t.source, name, target


def shortest_paths(kind, start=S.ADMIN_CASE_UNDER_INVESTIGATION):
    paths = {start: ()}
    queue = deque([start])
    graph = list(edges(kind))
    while queue:
        here = queue.popleft()
        for source, name, target in graph:
            if source == here and target not in paths:
                paths[target] = paths[here] + (name,)
                queue.append(target)
    return paths


def kind_for(name):
    """The referral type a step needs, if it needs one."""
    return (
        lifecycle.ReferralKind.ADMIN_DETENTION
        if name in DETENTION_ONLY
        else lifecycle.ReferralKind.CRIMINAL_TRANSFER
        if name in CRIMINAL_ONLY
        else None
    )


def path_to(state, via=(), kind=None):
    """(kind, steps) reaching `state`; `via=(mid_state, step)` forces the path through `step`
    taken from `mid_state`."""
    for candidate in [kind] if kind else lifecycle.ReferralKind.values:
        paths = shortest_paths(candidate)
        if not via:
            if state in paths:
                return candidate, paths[state]
            continue
        mid_state, step_name = via
        landing = next(
            target
            for t in lifecycle.transitions()[step_name]
            if t.source == mid_state
            for target in lifecycle.possible_targets(t)
        )
        after = shortest_paths(candidate, start=landing)
        if mid_state in paths and state in after:
            return candidate, paths[mid_state] + (step_name,) + after[state]
    raise AssertionError(f"state {state} unreachable")

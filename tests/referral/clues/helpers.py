"""Two stations of Fucheng paired with each other (城郊市场监管所 → 城郊派出所), their users,
and a clue passed between them."""

from referral.models import AgencyKind, AgencyLevel, Role
from referral.services import clues as svc
from tests.factories import AgencyFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def stations(world):
    police = AgencyFactory(
        code="fc-police-cj",
        name="城郊派出所",
        kind=AgencyKind.POLICE,
        level=AgencyLevel.STATION,
        region_code="510703",
        parent=world.agencies["fc-police"],
        default_receiver=False,
    )
    market = AgencyFactory(
        code="fc-msa-cj",
        name="城郊市场监管所",
        kind=AgencyKind.MARKET_SUPERVISION,
        level=AgencyLevel.STATION,
        region_code="510703",
        parent=world.agencies["fc-msa"],
        paired_station=police,
        default_receiver=False,
    )
    return market, police


def users(world):
    market, police = stations(world)
    return {
        "station": UserFactory(username="cj-msa", agency=market, roles=[Role.CASE_OFFICER]),
        "ps": UserFactory(username="cj-police", agency=police, roles=[Role.POLICE_INTAKE]),
        "bureau": world.user("fc-msa", Role.CASE_OFFICER),
        "county_police": world.user("fc-police", Role.POLICE_REVIEWER),
        "proc": world.user("fc-proc", Role.PROCURATOR),
        "outsider": world.user("yx-msa", Role.CASE_OFFICER),
    }


def passed(world, u):
    with world.at():
        return svc.clue_pass(
            actor=u["station"],
            title="城郊农贸市场疑似病死猪肉线索",
            summary="巡查发现摊贩销售来源不明猪肉，无检疫证明。",
            place="城郊农贸市场12号摊位",
            parties=svc.parse_parties("张三，510703198001011234\n某某肉类经营部"),
            files=[("现场照片.pdf", PDF)],
        )

"""The controlled list of charges a food or drug case is transferred under (涉嫌罪名).

One table: each charge's code (stored on the referral), its name as the Criminal Law words it
(printed on the documents), the article of the Criminal Law and, for food crimes, where the
2021 food-crime interpretation (两高《关于办理危害食品安全刑事案件适用法律若干问题的解释》,
DOMAIN.md L9) applies it. The name is public vocabulary: documents already issued print it.
"""

from dataclasses import dataclass

CRIMINAL_LAW = "《刑法》"
FOOD_INTERPRETATION = "2021年《危害食品安全刑事案件解释》"


@dataclass(frozen=True, kw_only=True)
class Charge:
    code: str
    name: str
    article: str
    basis: str = ""

    @property
    def citation(self) -> str:
        return f"{CRIMINAL_LAW}{self.article}" + (f"；{self.basis}" if self.basis else "")


def _table(*charges: Charge) -> dict[str, Charge]:
    return {charge.code: charge for charge in charges}


CHARGES: dict[str, Charge] = _table(
    Charge(
        code="substandard_food",
        name="生产、销售不符合安全标准的食品罪",
        article="第一百四十三条",
        basis=f"{FOOD_INTERPRETATION}第一条至第五条",
    ),
    Charge(
        code="toxic_food",
        name="生产、销售有毒、有害食品罪",
        article="第一百四十四条",
        basis=f"{FOOD_INTERPRETATION}第六条至第十一条",
    ),
    Charge(
        code="fake_or_shoddy_products",
        name="生产、销售伪劣产品罪",
        article="第一百四十条",
        # Also where the food is not shown to endanger health (解释第十三条第二款、第十七条).
        basis=f"{FOOD_INTERPRETATION}第十五条",
    ),
    Charge(
        code="fake_drugs",
        name="生产、销售、提供假药罪",
        article="第一百四十一条",
    ),
    Charge(
        code="substandard_drugs",
        name="生产、销售、提供劣药罪",
        article="第一百四十二条",
    ),
    Charge(
        code="obstructing_drug_administration",
        name="妨害药品管理罪",
        article="第一百四十二条之一",
    ),
    Charge(
        code="illegal_business",
        name="非法经营罪",
        article="第二百二十五条",
        basis=f"{FOOD_INTERPRETATION}第十六条至第十八条",
    ),
    Charge(
        code="false_advertising",
        name="虚假广告罪",
        article="第二百二十二条",
        basis=f"{FOOD_INTERPRETATION}第十九条",
    ),
    Charge(
        code="quarantine_obstruction",
        name="妨害动植物防疫、检疫罪",
        article="第三百三十七条",
        basis=f"{FOOD_INTERPRETATION}第十三条第二款",
    ),
)

CHARGE_CHOICES = [(c.code, f"{c.name}（{CRIMINAL_LAW}{c.article}）") for c in CHARGES.values()]


def charge_for_text(text: str) -> str:
    """The code of the charge a free-text entry names ("" when none does): an exact name, or a
    text that contains exactly one charge's name (e.g. "涉嫌生产、销售有毒、有害食品罪")."""
    text = (text or "").strip()
    exact = [c.code for c in CHARGES.values() if c.name == text]
    if exact:
        return exact[0]
    found = [c.code for c in CHARGES.values() if c.name in text]
    return found[0] if len(found) == 1 else ""

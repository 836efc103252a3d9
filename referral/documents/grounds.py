"""The grounds of a non-filing decision (CPL art 112, art 16): the deciding officer picks the one
actually found, and the 不予立案通知书 prints that one alone (DOMAIN.md §9.5), never the
statute's alternatives side by side."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NonFilingGround(models.TextChoices):
    NO_CRIMINAL_FACTS = "no_criminal_facts", _("No criminal facts")
    TRIVIAL = "trivial", _("Facts obviously minor, no criminal liability needed")
    EXEMPT = "exempt", _("Another lawful ground not to pursue criminal liability")


# What the notice says, in the words of CPL art 112 (art 16 for the third).
NON_FILING_GROUND_TEXT = {
    NonFilingGround.NO_CRIMINAL_FACTS: "没有犯罪事实",
    NonFilingGround.TRIVIAL: "犯罪事实显著轻微，不需要追究刑事责任",
    NonFilingGround.EXEMPT: "具有《中华人民共和国刑事诉讼法》第十六条规定的不追究刑事责任的情形",
}

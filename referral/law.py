"""Names of the legal sources the lifecycle cites, and how articles are written."""

# DOMAIN.md §0 tags in brackets.
DECREE_310 = "《行政执法机关移送涉嫌犯罪案件的规定》"  # L1
MPS_PROCEDURE = "《公安机关办理刑事案件程序规定》"  # L2
SPP_TRANSFER_RULE = "《人民检察院办理行政执法机关移送涉嫌犯罪案件的规定》"  # L3
SPP_PROCEDURE = "《人民检察院刑事诉讼规则》"  # L4
CPL = "《刑事诉讼法》"  # L5
FOOD_SAFETY_LAW = "《食品安全法》"  # L7
SAMR_PENALTY_PROCEDURE = "《市场监督管理行政处罚程序规定》"  # L10

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """Writes 1..999 as article numbers are written: 8 -> 八, 105 -> 一百零五, 180 -> 一百八十."""
    if not 0 < n < 1000:
        raise ValueError(f"article number out of range: {n}")
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    if ones:
        out += _DIGITS[ones]
    return out


def article(source: str, number: int, paragraph: int | None = None) -> str:
    """`article(DECREE_310, 8)` -> 《行政执法机关移送涉嫌犯罪案件的规定》第八条."""
    text = f"{source}第{chinese_number(number)}条"
    if paragraph:
        text += f"第{chinese_number(paragraph)}款"
    return text


def articles(source: str, *numbers: int) -> str:
    """`articles(DECREE_310, 5, 6)` -> 《…》第五条、第六条."""
    return source + "、".join(f"第{chinese_number(n)}条" for n in numbers)

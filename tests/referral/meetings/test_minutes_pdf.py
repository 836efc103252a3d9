"""The issued minutes as WeasyPrint lays them out: every decision and follow-up item, the
attending agencies and the copy list, read back with pdftotext."""

from referral.documents import render
from referral.documents.minutes import meeting_data_from_meeting
from tests.referral.documents.pdftools import pdf_fonts, pdf_pages_text, save_pngs, squeeze

from .helpers import issued


def test_minutes_pdf_holds_every_decision_and_follow_up(world, after_commit, real_pdf_renderer):
    meeting, document = issued(world, after_commit)
    with document.pdf.open("rb") as f:
        pdf = f.read()
    pages = pdf_pages_text(pdf)
    text = "".join(pages)
    expected = [
        "联席会议纪要",
        document.number,
        meeting.title,
        meeting.place,
        *(d.text for d in meeting.decisions.all()),
        *(d.basis for d in meeting.decisions.all()),
        *(f.action for f in meeting.follow_ups.all()),
        *(f.owner_person for f in meeting.follow_ups.all()),
        "建议统一检验认定程序",  # an agency's opinion
        "张明副局长",
        "缺席单位",
        "抄送",
    ]
    expected += [p.agency.name for p in meeting.participants.select_related("agency")]
    missing = [s for s in expected if squeeze(s) not in text]
    assert not missing, missing
    for page in pages:
        assert document.verification_code in page
    assert all(f.embedded and f.subset for f in pdf_fonts(pdf))
    save_pngs(pdf, "meeting_minutes")


def test_minutes_data_reads_in_a_fixed_number_of_queries(
    world, after_commit, django_assert_num_queries
):
    meeting, _ = issued(world, after_commit)
    # opinions 1 + participants 1 + reports 1 + agenda 1 + decisions 1 + follow-ups 1 = 6, with
    # the convening agency already loaded (1 more here, as the meeting is read afresh).
    meeting = type(meeting).objects.get(pk=meeting.pk)
    with django_assert_num_queries(7):
        data = meeting_data_from_meeting(meeting)
    assert len(data.decisions) == 2 and len(data.follow_ups) == 2
    assert render.issuer_of(render.DOCUMENT_TYPES["meeting_minutes"], data).name == (
        meeting.convening_agency.name
    )


def test_minutes_labels_are_chinese_whatever_the_active_language(world, after_commit):
    from django.utils import translation

    meeting, _ = issued(world, after_commit)
    with translation.override("en"):
        data = meeting_data_from_meeting(meeting)
    assert data.kind_label == "定期联席会议"
    assert [label for label, _v in data.reports[0].figures][:3] == ["移送", "接收", "立案"]

"""`manage.py simulate`: scenarios computed by hand from the texts (2026 holidays) against its
output; refusals (exit 3, the Chinese reason); bad input (exit 2); nothing kept without --keep."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from referral.models import Agency, AuditEvent, Document, Referral

MAIN_LINE_TO_NON_FILING = [
    {"at": "2026-03-02T09:00:00+08:00", "step": "find_suspected_crime"},
    {"at": "2026-03-02T10:00:00+08:00", "step": "submit_transfer_report"},
    {"at": "2026-03-02T11:00:00+08:00", "step": "approve_transfer"},
    {"at": "2026-03-02T14:00:00+08:00", "step": "transfer"},
    # The police sign for the transfer letter: that is sign_receipt (Decree 310 art. 8).
    {"at": "2026-03-03T09:00:00+08:00", "receive": "transfer_letter"},
    {"at": "2026-03-03T10:00:00+08:00", "step": "begin_review"},
    {"at": "2026-03-04T09:00:00+08:00", "step": "propose_non_filing"},
    {"at": "2026-03-04T10:00:00+08:00", "step": "decline_filing"},
]


def _simulate(tmp_path, scenario, *args):
    path = tmp_path / "scenario.json"
    path.write_text(scenario if isinstance(scenario, str) else json.dumps(scenario))
    out = StringIO()
    call_command("simulate", str(path), *args, stdout=out)
    return json.loads(out.getvalue())


def _clock(result, rule):
    return next(c for c in result["clocks"] if c["rule"] == rule)


@pytest.mark.django_db
def test_reconsideration_window_runs_from_the_receipt_of_the_non_filing_notice(tmp_path):
    """Decree 310 art. 9: 3 days from the agency's receipt. Received Thursday 2026-03-05 16:00;
    day 3 is Sunday 03-08, a rest day, so the period ends Monday 03-09 (CPL art. 105). Received
    on Monday 03-09 instead, it ends Thursday 03-12."""
    events = [
        *MAIN_LINE_TO_NON_FILING,
        {"at": "2026-03-05T16:00:00+08:00", "receive": "non_filing_notice"},
    ]
    result = _simulate(tmp_path, {"kind": "criminal", "events": events})
    assert result["status"] == "NOT_FILED"
    window = _clock(result, "reconsideration_window")
    assert (window["started_at"], window["due_at"], window["state"], window["provisional"]) == (
        "2026-03-05T16:00:00+08:00",
        "2026-03-09T23:59:59+08:00",
        "running",
        False,
    )
    # The police's 3 days run from their signing of the receipt, Tuesday 03-03 → Friday 03-06.
    decision = _clock(result, "police_filing_decision")
    assert (decision["started_at"], decision["due_at"], decision["state"]) == (
        "2026-03-03T09:00:00+08:00",
        "2026-03-06T23:59:59+08:00",
        "met",
    )
    # The 24-hour intake check: the starting hour is not counted, 09:00 → 10:00 next day.
    assert _clock(result, "police_intake_check")["due_at"] == "2026-03-04T10:00:00+08:00"
    documents = {d["type"]: d for d in result["documents"]}
    assert documents["transfer_letter"]["received_at"] == "2026-03-03T09:00:00+08:00"
    assert documents["non_filing_notice"]["issued_at"] == "2026-03-04T10:00:00+08:00"
    assert documents["non_filing_notice"]["received_at"] == "2026-03-05T16:00:00+08:00"
    assert documents["non_filing_notice"]["number"] == "涪公（食药）不立字〔2026〕1号"

    # Received the next Monday instead: the window ends Thursday 03-12.
    late = [*MAIN_LINE_TO_NON_FILING, {"at": "2026-03-09T09:00:00+08:00", "receive": "all"}]
    result = _simulate(tmp_path, {"kind": "criminal", "events": late})
    assert _clock(result, "reconsideration_window")["due_at"] == "2026-03-12T23:59:59+08:00"


@pytest.mark.django_db
def test_unreceived_notice_starts_no_window(tmp_path):
    result = _simulate(tmp_path, {"kind": "criminal", "events": MAIN_LINE_TO_NON_FILING})
    assert "reconsideration_window" not in {c["rule"] for c in result["clocks"]}
    notice = next(d for d in result["documents"] if d["type"] == "non_filing_notice")
    assert notice["received_at"] is None


@pytest.mark.django_db
def test_items_handover_across_the_qingming_holiday(tmp_path):
    """Decree 310 art. 12: 3 days from the agency's receipt of the filing notice. Received
    Thursday 2026-04-02; day 3 is Sunday 04-05, inside the 2026 Qingming holiday (04-04 to
    04-06), so the period ends on Tuesday 04-07."""
    events = [
        {"at": "2026-03-30T09:00:00+08:00", "step": "find_suspected_crime"},
        {"at": "2026-03-30T10:00:00+08:00", "step": "submit_transfer_report"},
        {"at": "2026-03-30T11:00:00+08:00", "step": "approve_transfer"},
        {"at": "2026-03-30T14:00:00+08:00", "step": "transfer"},
        {"at": "2026-03-31T09:00:00+08:00", "receive": "transfer_letter"},
        {"at": "2026-03-31T10:00:00+08:00", "step": "begin_review"},
        {"at": "2026-04-01T09:00:00+08:00", "step": "propose_filing"},
        {"at": "2026-04-01T10:00:00+08:00", "step": "file_case"},
        {"at": "2026-04-02T11:00:00+08:00", "receive": "filing_notice"},
    ]
    result = _simulate(tmp_path, {"kind": "criminal", "events": events})
    assert result["status"] == "FILED"
    handover = _clock(result, "items_handover")
    assert (handover["started_at"], handover["due_at"]) == (
        "2026-04-02T11:00:00+08:00",
        "2026-04-07T23:59:59+08:00",
    )


@pytest.mark.django_db
def test_the_reconsideration_period_runs_on_while_the_police_head_decides(tmp_path):
    """Decree 310 art. 9 para. 2: the police decide within 3 days of receiving the request,
    Friday 2026-03-06 10:00 → Monday 03-09. The reviewer's proposal (MPS rules art. 178) stops
    nothing; the police head's decision on Monday meets the period; the head alone may take it."""
    events = [
        *MAIN_LINE_TO_NON_FILING,
        {"at": "2026-03-05T16:00:00+08:00", "receive": "non_filing_notice"},
        {"at": "2026-03-06T09:00:00+08:00", "step": "request_reconsideration"},
        {"at": "2026-03-06T10:00:00+08:00", "receive": "reconsideration_request"},
        {"at": "2026-03-08T09:00:00+08:00", "step": "propose_upholding_non_filing"},
    ]
    result = _simulate(tmp_path, {"kind": "criminal", "events": events})
    assert result["status"] == "RECONSIDERATION_UPHOLD_PROPOSED"
    decision = _clock(result, "reconsideration_decision")
    assert (decision["started_at"], decision["due_at"], decision["state"]) == (
        "2026-03-06T10:00:00+08:00",
        "2026-03-09T23:59:59+08:00",
        "running",
    )
    assert "reconsideration_decision" not in {d["type"] for d in result["documents"]}

    decided = [*events, {"at": "2026-03-09T15:00:00+08:00", "step": "reconsider_uphold"}]
    result = _simulate(tmp_path, {"kind": "criminal", "events": decided})
    assert result["status"] == "RECONSIDERATION_UPHELD_NOT_FILED"
    assert _clock(result, "reconsideration_decision")["state"] == "met"
    notice = next(d for d in result["documents"] if d["type"] == "reconsideration_decision")
    assert notice["issued_at"] == "2026-03-09T15:00:00+08:00"


@pytest.mark.django_db
def test_a_refused_step_stops_the_run_with_its_chinese_reason(tmp_path, capsys):
    events = [
        {"at": "2026-03-02T09:00:00+08:00", "step": "find_suspected_crime"},
        {"at": "2026-03-02T10:00:00+08:00", "step": "transfer"},
    ]
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"kind": "criminal", "events": events}))
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("simulate", str(path), stdout=out)
    assert exit_info.value.code == 3
    refused = json.loads(out.getvalue())["refused"]
    assert refused["step"] == "transfer"
    assert refused["reason"] == "案件处于“发现涉嫌犯罪”状态时，不能执行“移送公安机关”操作。"


@pytest.mark.parametrize(
    ("scenario", "message"),
    [
        ("{not json", "不是有效的 JSON"),
        (
            json.dumps({"events": [{"at": "2026-03-02T09:00:00+08:00", "step": "fly"}]}),
            "未知环节",
        ),
        (
            json.dumps(
                {
                    "events": [
                        {"at": "2026-03-02T09:00:00+08:00", "step": "find_suspected_crime"},
                        {"at": "2026-03-01T09:00:00+08:00", "step": "submit_transfer_report"},
                    ]
                }
            ),
            "时间倒退",
        ),
        (json.dumps({"events": [{"at": "2026-03-02T09:00:00", "step": "close"}]}), "须带时区偏移"),
        (
            json.dumps({"events": [{"at": "2026-03-02T09:00:00+08:00", "receive": "x"}]}),
            "未知文书类型",
        ),
    ],
)
@pytest.mark.django_db
def test_bad_input_exits_2_with_a_clear_chinese_message(tmp_path, scenario, message):
    path = tmp_path / "s.json"
    path.write_text(scenario)
    with pytest.raises(CommandError, match=message) as error:
        call_command("simulate", str(path))
    assert error.value.returncode == 2
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_nothing_persists_without_keep_and_keep_commits(tmp_path):
    assert not Agency.objects.filter(code="fc-msa").exists()
    _simulate(tmp_path, {"kind": "criminal", "events": MAIN_LINE_TO_NON_FILING})
    assert not Referral.objects.exists() and not Document.objects.exists()
    assert not AuditEvent.objects.exists() and not Agency.objects.filter(code="fc-msa").exists()

    _simulate(tmp_path, {"kind": "criminal", "events": MAIN_LINE_TO_NON_FILING}, "--keep")
    referral = Referral.objects.get()
    assert referral.status == "NOT_FILED"
    # Numbered, not rendered without --render.
    assert all(d.render_state == "pending" for d in referral.documents.all())

"""The lifecycle, verify_audit and seed_demo commands, and production settings."""

import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from referral import lifecycle

ROOT = Path(__file__).resolve().parents[2]


def _lifecycle_json():
    out = StringIO()
    call_command("lifecycle", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_lifecycle_json_is_the_machine_the_code_runs():
    data = _lifecycle_json()
    codes = {s["code"] for s in data["states"]}
    assert codes == set(lifecycle.Status.values)
    names = {t["name"] for t in data["transitions"]}
    assert names == set(lifecycle.transitions())
    for t in data["transitions"]:
        assert set(t["source"]) <= codes and t["target"] in codes
        assert (
            t["article"].startswith("《")
            and "第" in t["article"]
            and t["article"].endswith(("条", "款"))
        )
        for clock in t["clocks_started"]:
            assert set(clock) == {"rule", "amount", "unit"}
    closed = next(s for s in data["states"] if s["code"] == "CLOSED")
    assert closed["owner_role"] is None and closed["terminal"] is False
    # A closed case is reopened only by a procurator's non-transfer review (以罚代刑; 2001 SPP
    # rule item 12(4)).
    assert {t["name"] for t in data["transitions"] if "CLOSED" in t["source"]} == {
        "open_non_transfer_review"
    }


def test_lifecycle_json_carries_the_statutory_periods():
    by_name = {t["name"]: t for t in _lifecycle_json()["transitions"]}
    assert by_name["approve_transfer"]["article"] == "《行政执法机关移送涉嫌犯罪案件的规定》第五条"
    assert by_name["approve_transfer"]["clocks_started"] == [
        {"rule": "transfer_after_approval", "amount": 24, "unit": "hours"}
    ]
    assert by_name["approve_transfer"]["clocks_stopped"] == ["approval_decision"]
    assert by_name["sign_receipt"]["actor_role"] == "police_intake"
    assert {"rule": "police_filing_decision", "amount": 3, "unit": "calendar_days"} in by_name[
        "sign_receipt"
    ]["clocks_started"]
    # The 15 days run from the police's receipt of the notice, not from its issue (SPP 563).
    assert by_name["order_filing"]["clocks_started"] == []
    clocks = {c["rule"]: c for c in _lifecycle_json()["clocks"]}
    assert clocks["ordered_filing"]["starts"] == {
        "receipt_of": "notice_to_file",
        "sent_by": [],
    }
    assert clocks["ordered_filing"]["amount"] == 15
    # Food Safety Law art. 123 sets no period: detention borrows no Decree 310 clock (§9.3).
    assert clocks["approval_decision"]["starts"] == {"steps": ["submit_transfer_report"]}
    # The police head approves what the reviewer proposes (MPS rules art. 178).
    assert by_name["file_case"]["article"] == (
        "《行政执法机关移送涉嫌犯罪案件的规定》第八条、《公安机关办理刑事案件程序规定》第一百七十八条"
    )
    assert (by_name["propose_filing"]["actor_role"], by_name["file_case"]["actor_role"]) == (
        "police_reviewer",
        "police_head",
    )
    assert by_name["order_filing"]["actor_role"] == "chief_procurator"
    assert by_name["propose_filing_order"]["actor_role"] == "procurator"
    assert by_name["demand_transfer"]["actor_role"] == "chief_procurator"


def test_lifecycle_json_lists_self_loops_per_source():
    loops = [t for t in _lifecycle_json()["transitions"] if t["name"] == "chase_supervised_case"]
    assert sorted((t["source"], t["target"]) for t in loops) == sorted(
        ([s], s) for s in ("FILED", "ITEMS_HANDED_OVER", "PROSECUTION_STAGE_ARREST")
    )
    # Approved, a transfer to other police returns to the stage it was proposed from.
    moves = [t for t in _lifecycle_json()["transitions"] if t["name"] == "transfer_to_other_police"]
    assert sorted((t["source"], t["target"]) for t in moves) == sorted(
        (["TRANSFER_TO_OTHER_POLICE_PROPOSED"], s)
        for s in ("FILED", "ITEMS_HANDED_OVER", "PROSECUTION_STAGE_ARREST")
    )


def test_lifecycle_labels_are_chinese_by_default():
    states = {s["code"]: s["label"] for s in _lifecycle_json()["states"]}
    assert states["FILED"] == "已立案"


def test_lifecycle_dot_draws_every_edge():
    out = StringIO()
    call_command("lifecycle", "--format", "dot", stdout=out)
    text = out.getvalue()
    assert (
        text.startswith("digraph referral {")
        and "TRANSFER_APPROVED -> TRANSFERRED_AWAITING_RECEIPT" in text
    )

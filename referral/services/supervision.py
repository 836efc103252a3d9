"""The procuratorate's steps: filing supervision (M1–M8), demand to transfer (K1–K4), and the
criminal milestones it records (T17) and reverse transfer after non-prosecution (§4.3)."""

from .transitions import step_action

referral_accept_supervision_request = step_action(
    "accept_supervision_request", "Procuratorate accepts the agency's request (M1, SPP art. 557)."
)
referral_open_supervision = step_action(
    "open_supervision", "Procuratorate opens filing supervision ex officio (M1)."
)
referral_request_explanation = step_action(
    "request_explanation", "Police required to explain non-filing within 7 days (M2)."
)
referral_close_supervision_review = step_action(
    "close_supervision_review", "Review finds no ground for supervision."
)
referral_order_filing = step_action(
    "order_filing", "Police notified to file within 15 days (M4a, SPP art. 563)."
)
referral_accept_explanation = step_action(
    "accept_explanation", "Explanation accepted; the agency is told (M4b, SPP art. 561)."
)
referral_issue_correction_notice = step_action(
    "issue_correction_notice", "Correction notice after 15 days without filing (M5x, art. 564)."
)
referral_correct_overdue_decision = step_action(
    "correct_overdue_decision", "Correction opinion on an unexplained overdue decision (M7)."
)
referral_chase_supervised_case = step_action(
    "chase_supervised_case", "Chase a supervised case after three months (M6, art. 564 para. 3)."
)
referral_open_non_transfer_review = step_action(
    "open_non_transfer_review", "Review an agency's non-transfer (K1, SPP rule 2001 item 12)."
)
referral_close_non_transfer_review = step_action(
    "close_non_transfer_review", "Non-transfer review finds nothing to demand."
)
referral_demand_transfer = step_action(
    "demand_transfer", "Procuratorial opinion demanding the transfer (K2, SPP art. 557 para. 3)."
)
referral_escalate_non_transfer = step_action(
    "escalate_non_transfer", "Agency refused or ignored the demand: escalated (K4, art. 16)."
)
referral_record_prosecution = step_action("record_prosecution", "Public prosecution (T17).")
referral_record_non_prosecution = step_action("record_non_prosecution", "Non-prosecution (T17).")
referral_record_judgment = step_action("record_judgment", "Judgment given (T17).")
referral_reverse_transfer_after_non_prosecution = step_action(
    "reverse_transfer_after_non_prosecution",
    "Procuratorial opinion for administrative penalty after non-prosecution (SPP art. 373).",
)

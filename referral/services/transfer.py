"""The transferring agency's steps (Decree 310 arts. 3–6, 9–12)."""

from .transitions import step_action

referral_find_suspected_crime = step_action(
    "find_suspected_crime", "Officer finds the facts reach a criminal threshold (T1, art. 3)."
)
referral_find_reasonable_suspicion = step_action(
    "find_reasonable_suspicion",
    "IP case transferred on reasonable suspicion (T1a, art. 3 para. 2).",
)
referral_submit_transfer_report = step_action(
    "submit_transfer_report", "Special group submits the written report to the head (T2, art. 5)."
)
referral_approve_transfer = step_action(
    "approve_transfer", "Head approves; the 24-hour transfer clock starts (T3a, art. 5)."
)
referral_refuse_transfer = step_action(
    "refuse_transfer", "Head refuses with a recorded reason (T3b, art. 5)."
)
referral_transfer = step_action(
    "transfer",
    "Transfer with the five items to the police, copied to the procuratorate (T4, art. 6).",
)
referral_supplement_materials = step_action(
    "supplement_materials", "Agency supplies what the police asked for (T6b)."
)
referral_hand_over_items = step_action(
    "hand_over_items", "Seized items handed over after filing (T10, art. 12)."
)
referral_request_reconsideration = step_action(
    "request_reconsideration", "Agency asks the police to reconsider non-filing (T11, art. 9)."
)
referral_request_filing_supervision = step_action(
    "request_filing_supervision", "Agency asks the procuratorate to supervise (T11b/T13, art. 9)."
)
referral_accept_non_filing = step_action(
    "accept_non_filing", "Agency accepts non-filing and handles the case itself (T11c, art. 10)."
)
referral_report_overdue_decision = step_action(
    "report_overdue_decision", "Agency reports an overdue police decision (M7)."
)
referral_accept_reverse_transfer = step_action(
    "accept_reverse_transfer", "Agency takes a reverse-transferred case back (art. 13)."
)
referral_comply_with_demand = step_action(
    "comply_with_demand", "Head complies with the procuratorate's demand to transfer (K3)."
)
referral_close = step_action("close", "Head closes the administrative file (T18).")

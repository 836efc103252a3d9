"""The police's steps (Decree 310 arts. 7–9, 13; MPS rules arts. 180–186)."""

from .transitions import step_action

referral_sign_receipt = step_action("sign_receipt", "Police sign the receipt (T5, art. 7).")
referral_begin_review = step_action(
    "begin_review", "Intake finds the organ competent and materials complete."
)
referral_request_supplement = step_action(
    "request_supplement", "Police ask for missing materials instead of refusing (T6, art. 180)."
)
referral_forward_to_competent_police = step_action(
    "forward_to_competent_police", "Forward to the competent organ within 24 hours (T7, art. 7)."
)
referral_return_not_police_matter = step_action(
    "return_not_police_matter", "Not a police matter: returned with reasons (T7b, art. 180)."
)
referral_file_case = step_action("file_case", "Police file the criminal case (T8, art. 8).")
referral_decline_filing = step_action(
    "decline_filing", "Police decline to file, with reasons (T9, art. 8)."
)
referral_reconsider_file = step_action(
    "reconsider_file", "On reconsideration the police file the case (T12)."
)
referral_reconsider_uphold = step_action(
    "reconsider_uphold", "On reconsideration the police uphold non-filing (T12)."
)
referral_withdraw_case = step_action("withdraw_case", "Police withdraw a filed case (T14).")
referral_reverse_transfer = step_action(
    "reverse_transfer", "No crime but administrative liability: back to the agency (T15, art. 13)."
)
referral_transfer_to_other_police = step_action(
    "transfer_to_other_police", "Filed case moves to another police organ (T16, art. 184)."
)
referral_record_arrest_request = step_action(
    "record_arrest_request", "Police record an arrest request (T17)."
)
referral_record_prosecution_referral = step_action(
    "record_prosecution_referral", "Police record referral for prosecution (T17)."
)
referral_submit_explanation = step_action(
    "submit_explanation", "Police explain non-filing to the procuratorate (M3, art. 182)."
)
referral_file_as_ordered = step_action(
    "file_as_ordered", "Police file as notified by the procuratorate (M5, art. 182)."
)

"""Transfer for administrative detention (Food Safety Law art. 123; DOMAIN.md §4.7)."""

from .transitions import step_action

referral_propose_detention = step_action(
    "propose_detention", "Officer proposes detention after licence revocation."
)
referral_approve_detention_transfer = step_action(
    "approve_detention_transfer", "Head approves and the case goes to the police for detention."
)
referral_refuse_detention_transfer = step_action(
    "refuse_detention_transfer", "Head refuses the detention transfer with reasons."
)
referral_impose_detention = step_action(
    "impose_detention", "Police impose 5 to 15 days' administrative detention."
)
referral_decline_detention = step_action(
    "decline_detention", "Police decline detention with reasons."
)

"""The Material site: one application with the referral pages."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, Site

from . import (
    actions,
    clue_views,
    consultation_views,
    intervention_views,
    meeting_views,
    notification_views,
    record_actions,
    views,
)


class ReferralApp(Application):
    title = _("Case referral")
    icon = "gavel"
    app_name = "xianjie"
    menu_template_name = "workflows/app_menu.html"
    turbo_disabled = True

    index_path = path("", views.home, name="index")
    inbox_path = path("inbox/", views.inbox, name="inbox")
    queue_path = path("queue/", views.queue, name="queue")
    archive_path = path("archive/", views.archive, name="archive")
    agency_tasks_path = path("agency-tasks/", views.agency_tasks, name="agency_tasks")
    referral_list_path = path("referrals/", views.referral_list, name="referral_list")
    referral_new_path = path("referrals/new/", views.referral_new, name="referral_new")
    referral_detail_path = path(
        "referrals/<int:pk>/", views.referral_detail, name="referral_detail"
    )
    attachment_file_path = path(
        "attachments/<int:pk>/", views.attachment_file, name="attachment_file"
    )
    task_detail_path = path("tasks/<int:task_pk>/", views.task_detail, name="task_detail")
    # One URL per POST action of the case and task pages (actions.py).
    referral_step_path = path(
        "referrals/<int:pk>/steps/<str:name>/", actions.referral_step, name="referral_step"
    )
    referral_upload_path = path(
        "referrals/<int:pk>/attachments/", actions.referral_upload, name="referral_upload"
    )
    referral_party_path = path(
        "referrals/<int:pk>/parties/", actions.referral_party, name="referral_party"
    )
    referral_case_team_path = path(
        "referrals/<int:pk>/case-team/", actions.referral_case_team, name="referral_case_team"
    )
    referral_seized_item_path = path(
        "referrals/<int:pk>/seized-items/",
        actions.referral_seized_item,
        name="referral_seized_item",
    )
    referral_document_correction_path = path(
        "referrals/<int:pk>/document-corrections/",
        actions.referral_document_correction,
        name="referral_document_correction",
    )
    referral_document_sign_path = path(
        "referrals/<int:pk>/document-receipts/",
        actions.referral_document_sign,
        name="referral_document_sign",
    )
    referral_document_paper_service_path = path(
        "referrals/<int:pk>/document-paper-services/",
        actions.referral_document_paper_service,
        name="referral_document_paper_service",
    )
    # Extending the police review: the reviewer asks, the head grants or refuses.
    referral_extension_request_path = path(
        "referrals/<int:pk>/review-extension/",
        actions.referral_extension_request,
        name="referral_extension_request",
    )
    referral_extension_grant_path = path(
        "referrals/<int:pk>/review-extension/grant/",
        actions.referral_extension_grant,
        name="referral_extension_grant",
    )
    referral_extension_refuse_path = path(
        "referrals/<int:pk>/review-extension/refuse/",
        actions.referral_extension_refuse,
        name="referral_extension_refuse",
    )
    # The case record (record_actions.py): before transfer changed, after it supplemented.
    referral_record_path = path(
        "referrals/<int:pk>/record/", record_actions.referral_record, name="referral_record"
    )
    referral_party_update_path = path(
        "referrals/<int:pk>/parties/<int:party_pk>/",
        record_actions.referral_party_update,
        name="referral_party_update",
    )
    referral_party_remove_path = path(
        "referrals/<int:pk>/parties/<int:party_pk>/remove/",
        record_actions.referral_party_remove,
        name="referral_party_remove",
    )
    referral_seized_item_update_path = path(
        "referrals/<int:pk>/seized-items/<int:item_pk>/",
        record_actions.referral_seized_item_update,
        name="referral_seized_item_update",
    )
    referral_seized_item_remove_path = path(
        "referrals/<int:pk>/seized-items/<int:item_pk>/remove/",
        record_actions.referral_seized_item_remove,
        name="referral_seized_item_remove",
    )
    referral_attachment_remove_path = path(
        "referrals/<int:pk>/attachments/<int:attachment_pk>/remove/",
        record_actions.referral_attachment_remove,
        name="referral_attachment_remove",
    )
    referral_supplement_path = path(
        "referrals/<int:pk>/supplements/",
        record_actions.referral_supplement,
        name="referral_supplement",
    )
    referral_case_summary_path = path(
        "referrals/<int:pk>/case-summary/",
        record_actions.referral_case_summary,
        name="referral_case_summary",
    )
    task_step_path = path(
        "tasks/<int:task_pk>/steps/<str:name>/", actions.task_step, name="task_step"
    )
    task_claim_path = path("tasks/<int:task_pk>/claim/", actions.task_claim_view, name="task_claim")
    task_release_path = path(
        "tasks/<int:task_pk>/release/", actions.task_release_view, name="task_release"
    )
    task_reassign_path = path(
        "tasks/<int:task_pk>/reassign/", actions.task_reassign_view, name="task_reassign"
    )
    # Joint meetings (meeting_views.py): list, convening, the meeting page and its POST actions.
    meeting_list_path = path("meetings/", meeting_views.meeting_list, name="meeting_list")
    meeting_new_path = path("meetings/new/", meeting_views.meeting_new, name="meeting_new")
    meeting_detail_path = path(
        "meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting_detail"
    )
    meeting_attendance_path = path(
        "meetings/<int:pk>/attendance/",
        meeting_views.meeting_attendance,
        name="meeting_attendance",
    )
    meeting_report_path = path(
        "meetings/<int:pk>/report/", meeting_views.meeting_report, name="meeting_report"
    )
    meeting_agenda_path = path(
        "meetings/<int:pk>/agenda/", meeting_views.meeting_agenda, name="meeting_agenda"
    )
    meeting_opinion_path = path(
        "meetings/<int:pk>/opinions/", meeting_views.meeting_opinion, name="meeting_opinion"
    )
    meeting_decision_path = path(
        "meetings/<int:pk>/decisions/", meeting_views.meeting_decision, name="meeting_decision"
    )
    meeting_follow_up_path = path(
        "meetings/<int:pk>/follow-ups/",
        meeting_views.meeting_follow_up,
        name="meeting_follow_up",
    )
    meeting_circulate_path = path(
        "meetings/<int:pk>/circulate/",
        meeting_views.meeting_circulate,
        name="meeting_circulate",
    )
    meeting_reopen_path = path(
        "meetings/<int:pk>/reopen/", meeting_views.meeting_reopen, name="meeting_reopen"
    )
    meeting_confirm_path = path(
        "meetings/<int:pk>/confirm/", meeting_views.meeting_confirm, name="meeting_confirm"
    )
    meeting_comment_path = path(
        "meetings/<int:pk>/comment/", meeting_views.meeting_comment, name="meeting_comment"
    )
    meeting_issue_path = path(
        "meetings/<int:pk>/issue/", meeting_views.meeting_issue, name="meeting_issue"
    )
    meeting_minutes_correction_path = path(
        "meetings/<int:pk>/minutes-correction/",
        meeting_views.meeting_minutes_correction,
        name="meeting_minutes_correction",
    )
    follow_up_done_path = path(
        "follow-ups/<int:pk>/done/", meeting_views.follow_up_done, name="follow_up_done"
    )
    # Early intervention (intervention_views.py): list, asking from a case, the request's page
    # and its POST actions.
    intervention_list_path = path(
        "interventions/", intervention_views.intervention_list, name="intervention_list"
    )
    intervention_new_path = path(
        "referrals/<int:pk>/interventions/new/",
        intervention_views.intervention_new,
        name="intervention_new",
    )
    intervention_detail_path = path(
        "interventions/<int:pk>/",
        intervention_views.intervention_detail,
        name="intervention_detail",
    )
    intervention_decide_path = path(
        "interventions/<int:pk>/decide/",
        intervention_views.intervention_decide,
        name="intervention_decide",
    )
    intervention_respond_path = path(
        "interventions/<int:pk>/respond/",
        intervention_views.intervention_respond,
        name="intervention_respond",
    )
    intervention_assign_path = path(
        "interventions/<int:pk>/assign/",
        intervention_views.intervention_assign,
        name="intervention_assign",
    )
    intervention_note_path = path(
        "interventions/<int:pk>/notes/",
        intervention_views.intervention_note,
        name="intervention_note",
    )
    intervention_close_path = path(
        "interventions/<int:pk>/close/",
        intervention_views.intervention_close,
        name="intervention_close",
    )
    # Case consultation (consultation_views.py).
    consultation_list_path = path(
        "consultations/", consultation_views.consultation_list, name="consultation_list"
    )
    consultation_new_path = path(
        "referrals/<int:pk>/consultations/new/",
        consultation_views.consultation_new,
        name="consultation_new",
    )
    consultation_detail_path = path(
        "consultations/<int:pk>/",
        consultation_views.consultation_detail,
        name="consultation_detail",
    )
    consultation_reply_path = path(
        "consultations/<int:pk>/replies/",
        consultation_views.consultation_reply,
        name="consultation_reply",
    )
    consultation_close_path = path(
        "consultations/<int:pk>/close/",
        consultation_views.consultation_close,
        name="consultation_close",
    )
    coordination_search_path = path(
        "coordination/", views.coordination_search, name="coordination_search"
    )
    # Clues passed between stations (clue_views.py).
    clue_list_path = path("clues/", clue_views.clue_list, name="clue_list")
    clue_new_path = path("clues/new/", clue_views.clue_new, name="clue_new")
    clue_detail_path = path("clues/<int:pk>/", clue_views.clue_detail, name="clue_detail")
    clue_answer_path = path("clues/<int:pk>/answer/", clue_views.clue_answer, name="clue_answer")
    clue_to_referral_path = path(
        "clues/<int:pk>/referral/", clue_views.clue_to_referral, name="clue_to_referral"
    )
    clue_file_path = path(
        "clues/<int:pk>/files/<int:file_pk>/", clue_views.clue_file, name="clue_file"
    )

    # The notification centre (notification_views.py).
    notification_list_path = path(
        "notifications/", notification_views.notification_list, name="notification_list"
    )
    notification_read_path = path(
        "notifications/<int:pk>/read/",
        notification_views.notification_read,
        name="notification_read",
    )
    notification_read_all_path = path(
        "notifications/read-all/",
        notification_views.notification_read_all,
        name="notification_read_all",
    )
    notification_settings_path = path(
        "notifications/settings/",
        notification_views.notification_settings,
        name="notification_settings",
    )
    notification_settings_save_path = path(
        "notifications/settings/save/",
        notification_views.notification_settings_save,
        name="notification_settings_save",
    )

    def has_view_permission(self, user, obj=None):
        return True  # every view requires login itself and sends strangers to the login page


class XianjieSite(Site):
    def has_view_permission(self, user, obj=None):
        return True


site = XianjieSite(title=_("Xianjie case referral"), viewsets=[ReferralApp()])

"""Coordination outside single referrals in the admin: joint meetings (with their parts),
consultations, early interventions, clues and the reads of clues. Read-only, for the audit
administrator: every change to them is a service's, in the audit trail, and the agencies make
them on their own pages; no administrator edits what an agency recorded or confirmed."""

from django.contrib import admin

from .admin_base import has_role
from .admin_documents import AuditReadOnlyAdmin
from .models import (
    AgendaItem,
    Clue,
    ClueAttachment,
    ClueParty,
    ClueRead,
    Consultation,
    ConsultationParticipant,
    ConsultationReply,
    Decision,
    EarlyIntervention,
    FollowUp,
    InterventionAddressee,
    InterventionNote,
    Meeting,
    MeetingParticipant,
    Role,
    SituationReport,
)


class ReadOnlyInline(admin.TabularInline):
    """The rows of a part, shown under their whole to the audit administrator, unchangeable."""

    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "id"]

    def has_view_permission(self, request, obj=None):
        return has_role(request, Role.AUDIT_ADMIN)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- joint meetings ------------------------------------------------------------------------------


class ParticipantInline(ReadOnlyInline):
    model = MeetingParticipant


class ReportInline(ReadOnlyInline):
    model = SituationReport


class DecisionInline(ReadOnlyInline):
    model = Decision


class FollowUpInline(ReadOnlyInline):
    model = FollowUp


@admin.register(Meeting)
class MeetingAdmin(AuditReadOnlyAdmin):
    list_display = ("title", "kind", "held_at", "convening_agency", "minutes_status", "issued_at")
    list_filter = ("kind", "minutes_status")
    search_fields = ("title", "place", "chair")
    list_select_related = ("convening_agency",)
    inlines = (ParticipantInline, ReportInline, DecisionInline, FollowUpInline)


@admin.register(AgendaItem)
class AgendaItemAdmin(AuditReadOnlyAdmin):
    list_display = ("meeting", "position", "kind", "text", "referral")
    list_filter = ("kind",)
    search_fields = ("text", "meeting__title", "referral__reference")
    list_select_related = ("meeting", "referral")


@admin.register(FollowUp)
class FollowUpAdmin(AuditReadOnlyAdmin):
    list_display = (
        "meeting",
        "position",
        "action",
        "owner_agency",
        "owner_person",
        "due_at",
        "done_at",
    )
    search_fields = ("action", "owner_person", "meeting__title")
    list_select_related = ("meeting", "owner_agency")


# --- consultations and interventions -------------------------------------------------------------


class ConsultationParticipantInline(ReadOnlyInline):
    model = ConsultationParticipant


class ReplyInline(ReadOnlyInline):
    model = ConsultationReply


@admin.register(Consultation)
class ConsultationAdmin(AuditReadOnlyAdmin):
    list_display = ("title", "referral", "opening_agency", "opened_at", "state", "closed_at")
    list_filter = ("state",)
    search_fields = ("title", "question", "referral__reference")
    list_select_related = ("referral", "opening_agency")
    inlines = (ConsultationParticipantInline, ReplyInline)


class AddresseeInline(ReadOnlyInline):
    model = InterventionAddressee


class NoteInline(ReadOnlyInline):
    model = InterventionNote


@admin.register(EarlyIntervention)
class EarlyInterventionAdmin(AuditReadOnlyAdmin):
    list_display = ("referral", "requesting_agency", "reason_category", "state", "requested_at")
    list_filter = ("reason_category", "state")
    search_fields = ("referral__reference", "reason", "outcome")
    list_select_related = ("referral", "requesting_agency")
    inlines = (AddresseeInline, NoteInline)


# --- clues ---------------------------------------------------------------------------------------


class CluePartyInline(ReadOnlyInline):
    model = ClueParty


class ClueAttachmentInline(ReadOnlyInline):
    model = ClueAttachment


@admin.register(Clue)
class ClueAdmin(AuditReadOnlyAdmin):
    list_display = ("title", "from_station", "to_station", "passed_at", "due_at", "answer")
    list_filter = ("answer",)
    search_fields = ("title", "summary", "place")
    list_select_related = ("from_station", "to_station")
    inlines = (CluePartyInline, ClueAttachmentInline)


@admin.register(ClueRead)
class ClueReadAdmin(AuditReadOnlyAdmin):
    list_display = ("read_at", "reader", "reader_agency", "clue", "attachment")
    search_fields = ("reader__username", "clue__title", "attachment__original_name")
    list_select_related = ("reader", "reader_agency", "clue", "attachment")

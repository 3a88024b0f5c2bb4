"""The coordinator's discussion settings per cycle, and a read-only view of comments.

Moderation itself (hide with a reason, restore, publish, keep) is done on the staff page
`discussion:moderation`, which asks for the reason shown in public; the admin lists and
searches and links there.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from omakouvola.admin_base import RuleInline, ServiceAdmin, adopt

from . import services
from .models import Comment, CommentReport, DiscussionSettings


@admin.register(DiscussionSettings)
class DiscussionSettingsAdmin(ServiceAdmin):
    view_rule = "discussion.moderate"
    add_rule = change_rule = "omakouvola.manage_cycles"
    list_display = [
        "cycle",
        "in_ideation",
        "in_workshops",
        "in_voting",
        "in_decision",
        "in_implementation",
        "pre_moderation",
    ]
    list_select_related = ["cycle"]

    def save_model(self, request, obj, form, change):
        saved = self.call_service(
            lambda: services.discussion_settings_save(
                actor=request.user, settings=obj, changed_fields=form.changed_data
            )
        )
        adopt(obj, saved)

    def has_delete_permission(self, request, obj=None):
        return False


class ReportInline(RuleInline, admin.TabularInline):
    model = CommentReport
    fields = ["reason", "created_at", "resolved_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(ServiceAdmin):
    view_rule = "discussion.moderate"
    list_display = ["pk", "item", "created_at", "state", "is_official", "open_reports"]
    list_filter = ["state", "is_official"]
    search_fields = ["body", "idea__title", "proposal__title"]
    list_select_related = ["idea", "proposal"]
    date_hierarchy = "created_at"
    inlines = [ReportInline]
    readonly_fields = [
        "idea",
        "proposal",
        "parent",
        "author",
        "body",
        "is_official",
        "state",
        "hidden_reason",
        "moderated_at",
        "moderated_by",
        "is_erased",
        "created_at",
        "moderate_link",
    ]
    exclude: list[str] = []

    def get_queryset(self, request):

        return (
            super()
            .get_queryset(request)
            .annotate(_open=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        )

    @admin.display(description=_("item"))
    def item(self, obj):
        return obj.target.title

    @admin.display(description=_("open reports"), ordering="_open")
    def open_reports(self, obj):
        return obj._open

    @admin.display(description=_("moderate"))
    def moderate_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("discussion:moderation"), _("Moderate the discussion")
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""The coordinator's tools for people, areas and cycles; the audit log, read-only."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Area, AuditEntry, Cycle, Notification, PostalCode, User


class AuditedAdmin(admin.ModelAdmin):
    """Saves and deletions made in the admin leave an audit entry like any service."""

    def log_change_to_audit(self, request: HttpRequest, obj, form, change: bool) -> None:
        changes = {
            name: [str(form.initial.get(name, "")), str(form.cleaned_data.get(name, ""))]
            for name in form.changed_data
        }
        action = f"{obj._meta.model_name}.{'update' if change else 'create'}"
        services.audit_record(actor=request.user, action=action, obj=obj, changes=changes)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.log_change_to_audit(request, obj, form, change)

    def delete_model(self, request, obj):
        services.audit_record(actor=request.user, action=f"{obj._meta.model_name}.delete", obj=obj)
        super().delete_model(request, obj)


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "postal_code", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_active", "groups", "preferred_language"]
    search_fields = ["email", "display_name", "postal_code"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Profile"),
            {
                "fields": (
                    "display_name",
                    "postal_code",
                    "birth_year",
                    "preferred_language",
                    "receives_optional_email",
                )
            },
        ),
        (_("Roles and access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ["groups"]


class PostalCodeInline(admin.TabularInline):
    model = PostalCode
    extra = 1


@admin.register(Area)
class AreaAdmin(AuditedAdmin):
    list_display = ["name", "name_sv", "population", "population_year"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PostalCodeInline]


@admin.register(PostalCode)
class PostalCodeAdmin(AuditedAdmin):
    list_display = ["code", "locality", "area"]
    list_filter = ["area"]
    search_fields = ["code", "locality"]


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "is_youth", "opens_on", "current_phase_display"]
    list_filter = ["year", "is_youth"]
    search_fields = ["name"]
    fieldsets = (
        (None, {"fields": ("name", "year", "is_youth", "description", "opens_on")}),
        (_("Ideation"), {"fields": (("ideation_starts_on", "ideation_ends_on"),)}),
        (
            _("Co-development workshops"),
            {"fields": (("workshops_starts_on", "workshops_ends_on"),)},
        ),
        (_("Voting"), {"fields": (("voting_starts_on", "voting_ends_on"),)}),
        (_("Decision"), {"fields": (("decision_starts_on", "decision_ends_on"),)}),
        (
            _("Implementation"),
            {"fields": (("implementation_starts_on", "implementation_ends_on"),)},
        ),
    )

    @admin.display(description=_("phase now"))
    def current_phase_display(self, obj: Cycle) -> str:
        phase = obj.current_phase()
        return phase.label if phase else "–"

    def save_model(self, request, obj, form, change):
        services.cycle_save(actor=request.user, cycle=obj, changed_fields=form.changed_data)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_repr", "object_id", "action"]
    date_hierarchy = "at"
    list_select_related = ["actor"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "to_email", "subject", "template", "status", "attempts"]
    list_filter = ["status", "template", "language"]
    search_fields = ["to_email", "subject"]
    date_hierarchy = "created_at"

    def get_exclude(self, request, obj=None):
        # A vote receipt's text pairs a person with a receipt code: nobody reads it here.
        if obj is not None and obj.sensitive:
            return ["body_text", "body_html"]
        return super().get_exclude(request, obj)

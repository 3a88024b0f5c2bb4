"""The coordinator's tools for people, areas and cycles; the audit log, read-only."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .admin_base import AuditedAdmin, RuleInline, ServiceAdmin
from .audit import AuditAction
from .models import Area, AuditEntry, Cycle, Notification, PostalCode, Role, User, WorkAttempt
from .rules import allows


def group_label(group: Group) -> str:
    """A role group's name in the reader's language; the stored code stays as it is."""
    if group.name in Role.values:
        return str(Role(group.name).label)
    return group.name


class RoleGroupFilter(admin.RelatedFieldListFilter):
    """The user list's role filter, showing the roles by their translated names."""

    def field_choices(self, field, request, model_admin):
        return [(group.pk, group_label(group)) for group in Group.objects.order_by("name")]


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    view_rule = "omakouvola.manage_people"
    change_rule = "omakouvola.manage_people"
    ordering = ["email"]
    list_display = ["email", "display_name", "postal_code", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_active", ("groups", RoleGroupFilter), "preferred_language"]
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

    # Bounded staff powers: only a superuser grants superuser or staff status or any role,
    # or changes a person's e-mail address (the address is where a password reset goes,
    # so whoever may change it may take the account over; a person changes their own on
    # their account page, where the new address proves itself). Others assign the roles
    # COORDINATOR_ASSIGNABLE_ROLES lists, never on their own account, and nobody sets
    # another person's password here (the reset e-mail does).
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "is_staff"]
            if obj is not None:
                fields += ["email"]
            if obj is not None and obj.pk == request.user.pk:
                fields += ["groups", "is_active"]
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(
                name__in=settings.COORDINATOR_ASSIGNABLE_ROLES
            )
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups" and field is not None:
            field.label_from_instance = group_label
        return field

    def has_add_permission(self, request):
        return request.user.is_superuser

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser or str(request.user.pk) != str(id):
            raise PermissionDenied
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            services.user_account_changed(
                actor=request.user, user=request.user, changed=["password"]
            )
        return response

    def save_related(self, request, form, formsets, change):
        user = form.instance
        before = set(user.groups.values_list("name", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        if not request.user.is_superuser:
            # Roles the actor may not assign are kept as they were, whatever was posted.
            kept = before - set(settings.COORDINATOR_ASSIGNABLE_ROLES)
            user.groups.add(*Group.objects.filter(name__in=kept))
        after = set(user.groups.values_list("name", flat=True))
        if before != after:
            services.audit_record(
                actor=request.user,
                action=AuditAction.USER_ROLES,
                obj=user,
                changes={"groups": [sorted(before), sorted(after)]},
            )
        # The person hears of new roles, staff status or a new address (the old one too).
        changed = []
        if before != after or {"is_staff", "is_superuser"} & set(form.changed_data):
            changed.append("roles")
        if change and "email" in form.changed_data:
            changed.append("email")
        if changed:
            services.user_account_changed(
                actor=request.user,
                user=user,
                changed=changed,
                old_email=str(form.initial.get("email") or ""),
            )


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdmin, DjangoGroupAdmin):
    """Role groups by their translated names; the code is what the rules and migrations use."""

    # Only a superuser grants roles (issue #12): seeing and changing the groups is theirs.
    view_rule = "omakouvola.administer"
    list_display = ["role_name", "name"]

    @admin.display(description=_("role"), ordering="name")
    def role_name(self, obj: Group) -> str:
        return group_label(obj)


class PostalCodeInline(RuleInline, admin.TabularInline):
    model = PostalCode
    extra = 1


@admin.register(Area)
class AreaAdmin(AuditedAdmin):
    view_rule = "omakouvola.view_reference_data"
    add_rule = "omakouvola.manage_reference_data"
    change_rule = "omakouvola.manage_reference_data"
    list_display = ["name", "name_sv", "population", "population_year"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PostalCodeInline]


@admin.register(PostalCode)
class PostalCodeAdmin(AuditedAdmin):
    view_rule = "omakouvola.manage_reference_data"
    add_rule = "omakouvola.manage_reference_data"
    change_rule = "omakouvola.manage_reference_data"
    delete_rule = "omakouvola.manage_reference_data"
    list_display = ["code", "locality", "area"]
    list_filter = ["area"]
    search_fields = ["code", "locality"]


@admin.register(Cycle)
class CycleAdmin(ServiceAdmin):
    view_rule = "omakouvola.view_reference_data"
    add_rule = "omakouvola.manage_cycles"
    change_rule = "omakouvola.manage_cycles"
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
        self.call_service(
            lambda: services.cycle_save(
                actor=request.user, cycle=obj, changed_fields=form.changed_data
            )
        )


class ReadOnlyAdmin(ServiceAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    view_rule = "omakouvola.read_audit_log"
    list_display = ["at", "actor_label", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_repr", "object_id", "action"]
    date_hierarchy = "at"
    list_select_related = ["actor"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    view_rule = "omakouvola.read_audit_log"
    list_display = ["created_at", "to_email", "subject", "template", "status", "attempts"]
    list_filter = ["status", "template", "language"]
    search_fields = ["to_email", "subject"]
    date_hierarchy = "created_at"

    def get_exclude(self, request, obj=None):
        # A vote receipt's text pairs a person with a receipt code: nobody reads it here.
        if obj is not None and obj.sensitive:
            return ["body_text", "body_html"]
        return super().get_exclude(request, obj)


@admin.register(WorkAttempt)
class WorkAttemptAdmin(ReadOnlyAdmin):
    """Work the workers could not finish: what failed, when, and a retry through a service."""

    view_rule = "omakouvola.read_audit_log"

    list_display = ["task_label", "args", "status", "attempts", "started_at", "failed_at"]
    list_filter = ["status", "task_name", "periodic"]
    search_fields = ["task_name", "last_error"]
    date_hierarchy = "started_at"
    readonly_fields = ["task_label"]
    fields = [
        "task_label",
        "task_name",
        "args",
        "periodic",
        "status",
        "attempts",
        "started_at",
        "failed_at",
        "last_error",
    ]
    actions = ["retry"]

    def has_retry_permission(self, request) -> bool:
        return allows(request.user, "omakouvola.retry_work")

    @admin.action(description=_("Retry the selected failed work"), permissions=["retry"])
    def retry(self, request, queryset):
        retried = self.run_each(
            request,
            queryset,
            lambda attempt: services.work_attempt_retry(actor=request.user, attempt=attempt),
            label=lambda attempt: attempt.task_label(),
        )
        if retried:
            self.message_user(
                request,
                ngettext(
                    "%(count)d piece of work queued again.",
                    "%(count)d pieces of work queued again.",
                    retried,
                )
                % {"count": retried},
            )

"""The one way an admin page writes: through a service, a refusal shown on the page.

The HackSoft shape. `save_model`, `delete_model` and actions call a service inside
`ServiceAdmin.call_service`; a `ValidationError` or `PermissionDenied` the service raises
becomes, through `refusal_messages`, either a form error on the re-shown form (what the
person typed is kept) or an error message above the change list. Nothing else in an
admin catches a service's refusal, sets a primary key by hand or calls a service from a
form's `clean()`.

How a refused save is re-shown: the first pass of `changeform_view` runs in Django's own
transaction; the refusal leaves it (so everything the pass wrote is rolled back) and the
view runs once more on the same POST with the refusal attached to the form as a
non-field error, so Django renders the form exactly as it renders any invalid form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse

from .admin_widgets import LabelledSplitDateTime
from .rules import NOT_ALLOWED, allows

# What a page without a rule of its own leaves to the superuser (deleting rows, mostly).
ADMINISTER = "omakouvola.administer"


class AdminRefused(Exception):
    """A service refused what an admin page asked; carries the texts to show."""

    def __init__(self, texts: list[str]):
        super().__init__(" ".join(texts))
        self.texts = texts


def refusal_messages(exc: ValidationError | PermissionDenied) -> list[str]:
    """The texts a refusal shows, in the person's language."""
    if isinstance(exc, ValidationError):
        return [str(m) for m in exc.messages]
    return [str(exc) or str(NOT_ALLOWED)]


def adopt(obj: models.Model, made: models.Model) -> models.Model:
    """Let the admin go on with the row a service made: the redirect, the change message
    and the inlines read the object the admin holds, so it becomes that row."""
    if made is not obj:
        obj.__dict__.update(made.__dict__)
    return obj


class ServiceAdmin(admin.ModelAdmin):
    """Base of every project admin: writes go through `call_service`, and the rules
    (`omakouvola.rules`) alone decide who sees and does what here; no model permission
    and no superuser shortcut is consulted.

    `view_rule` decides who sees the page (the app on the admin index, the change list,
    a row; `get_queryset` is empty for anyone else) and every project admin names one.
    `add_rule`, `change_rule` and `delete_rule` name the rule the service `require`s, so
    the admin offers what the service will do; without one of its own a page leaves that
    power to the superuser (`omakouvola.administer`), which is a rule too.
    """

    view_rule: str | None = None
    # Every date-and-time pair with an accessible name per box (WCAG 1.3.1, 4.1.2).
    formfield_overrides = {models.DateTimeField: {"widget": LabelledSplitDateTime}}
    add_rule: str = ADMINISTER
    change_rule: str = ADMINISTER
    delete_rule: str = ADMINISTER

    def has_view_permission(self, request, obj=None):
        # Whoever may change a row may see it, as in Django's own default.
        return self.view_rule is not None and (
            allows(request.user, self.view_rule, obj) or self.has_change_permission(request, obj)
        )

    def has_module_permission(self, request):
        return self.view_rule is not None and allows(request.user, self.view_rule)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.view_rule is None or not allows(request.user, self.view_rule):
            return queryset.none()
        return queryset

    def has_add_permission(self, request):
        return allows(request.user, self.add_rule)

    def has_change_permission(self, request, obj=None):
        return allows(request.user, self.change_rule, obj)

    def has_delete_permission(self, request, obj=None):
        return allows(request.user, self.delete_rule, obj)

    def call_service(self, call: Callable[[], Any]) -> Any:
        """Run one service call; its refusal becomes an `AdminRefused` for the page."""
        try:
            with transaction.atomic():
                return call()
        except (ValidationError, PermissionDenied) as exc:
            raise AdminRefused(refusal_messages(exc)) from exc

    # --- a refused save comes back as a form error ------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except AdminRefused as refused:
            request._admin_refusal = refused.texts
            for upload in request.FILES.values():
                upload.seek(0)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        texts = getattr(request, "_admin_refusal", None)
        if not texts:
            return form

        class Refused(form):  # type: ignore[valid-type,misc]
            def clean(self):
                cleaned = super().clean()
                for text in texts:
                    self.add_error(None, text)
                return cleaned

        Refused.__name__ = form.__name__
        return Refused

    # --- a refused deletion comes back as a message -----------------------------------

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except AdminRefused as refused:
            for text in refused.texts:
                self.message_user(request, text, messages.ERROR)
            return HttpResponseRedirect(request.path)

    def delete_model(self, request, obj):
        """A deletion in the admin (the superuser's, mostly) is audited like any write."""
        from . import services

        services.audit_record(actor=request.user, action=f"{obj._meta.model_name}.delete", obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def response_action(self, request, queryset):
        try:
            return super().response_action(request, queryset)
        except AdminRefused as refused:
            for text in refused.texts:
                self.message_user(request, text, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    # --- actions: one service call per row, each refusal said ---------------------------

    def run_each(
        self,
        request: HttpRequest,
        queryset: Iterable[models.Model],
        apply: Callable[[Any], object],
        done: str | None = None,
        label: Callable[[Any], str] = str,
    ) -> int:
        """Apply a service to each row in its own transaction; say how many succeeded
        (`done % {"count": n}`) and, row by row, why the others were refused."""
        succeeded, refused = 0, []
        for obj in queryset:
            try:
                self.call_service(lambda obj=obj: apply(obj))
            except AdminRefused as exc:
                refused.append(f"{label(obj)}: {' '.join(exc.texts)}")
            else:
                succeeded += 1
        if succeeded and done:
            self.message_user(request, done % {"count": succeeded}, messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.ERROR)
        return succeeded

    def run_each_with_form(
        self,
        request: HttpRequest,
        queryset: Any,
        form_class: type[forms.Form],
        title: str,
        apply: Callable[[Any, dict], object],
        done: str,
        template: str,
        form_kwargs: dict | None = None,
        label: Callable[[Any], str] = str,
    ) -> HttpResponse | None:
        """An action that asks for a few details first, then runs like `run_each`."""
        form_kwargs = form_kwargs or {}
        if "apply" in request.POST:
            form = form_class(request.POST, **form_kwargs)
            if form.is_valid():
                data = form.cleaned_data
                self.run_each(request, queryset, lambda obj: apply(obj, data), done, label)
                return None
        else:
            form = form_class(**form_kwargs)
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "title": title,
                "form": form,
                "objects": queryset,
                "action": request.POST.get("action"),
                "opts": self.model._meta,
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            },
        )


class RuleInline:
    """Mixed into every inline: the rows are part of their parent's page, so the parent
    admin's rules decide (seeing the parent shows them; changing it adds, changes and
    deletes them) rather than a model permission of the child."""

    def _parent_admin(self) -> ServiceAdmin:
        return self.admin_site._registry[self.parent_model]  # type: ignore[attr-defined]

    def has_view_permission(self, request, obj=None):
        return self._parent_admin().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._parent_admin().has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._parent_admin().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._parent_admin().has_change_permission(request, obj)


class AuditedAdmin(ServiceAdmin):
    """Reference data with no rules of its own (areas, themes, committees' people): the
    admin saves it and leaves an audit entry like any service."""

    def log_change_to_audit(self, request: HttpRequest, obj, form, change: bool) -> None:
        from . import services

        changes = {
            name: [str(form.initial.get(name, "")), str(form.cleaned_data.get(name, ""))]
            for name in form.changed_data
        }
        action = f"{obj._meta.model_name}.{'update' if change else 'create'}"
        services.audit_record(actor=request.user, action=action, obj=obj, changes=changes)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.log_change_to_audit(request, obj, form, change)

"""E-mail to people who may have no account (applicants, members without a login).

A person with an account is e-mailed through `omakouvola.services.notify`; an address
without one gets the same templates through `render_email` and `email_enqueue`, so both
paths share the rendering, the notification table, the outbox and the retries.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import translation

from omakouvola.models import Notification, User
from omakouvola.services import email_enqueue, notify, render_email


def email_person(
    *,
    email: str,
    template: str,
    context: Mapping[str, Any] | None = None,
    user: User | None = None,
    language: str | None = None,
) -> Notification | None:
    """Send templates/emails/<template>.* to `email`, through `notify` when it is `user`'s."""
    if user is not None and user.pk and user.email.lower() == (email or "").lower():
        return notify(user=user, template=template, context=context)
    if not email:
        return None
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    subject, body_text, body_html = render_email(
        template=template, context={"user": None, **(context or {})}, language=language
    )
    return email_enqueue(
        to_email=email,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        template=template,
        language=language,
    )

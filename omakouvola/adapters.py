"""allauth hooks: its e-mails go through the same queue as every other message."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation


@dataclass(frozen=True)
class ServiceSite:
    """What allauth's texts call the site ("Terve palvelusta {name}!"); without the sites
    framework it would be a request host, or nothing when there is no request."""

    name: str
    domain: str


def service_site() -> ServiceSite:
    url = getattr(settings, "OMAKOUVOLA_SITE_URL", "")
    return ServiceSite(
        name=getattr(settings, "OMAKOUVOLA_SITE_NAME", "OmaKouvola"),
        domain=urlsplit(url).netloc or url,
    )


# allauth's security notices, and what each one tells about; our own message replaces them.
ACCOUNT_NOTICES = {
    "account/email/password_changed": "password",
    "account/email/password_set": "password",
    "account/email/password_reset": "password",
    "account/email/email_changed": "email",
}


class AccountAdapter(DefaultAccountAdapter):
    def send_notification_mail(self, template_prefix, user, context=None, email=None) -> None:
        """A password or e-mail change is audited and told in the person's language, in
        our own words (to the old address too); allauth's other notices stay off."""
        from .services import user_account_changed

        changed = ACCOUNT_NOTICES.get(template_prefix)
        if changed is None:
            return super().send_notification_mail(template_prefix, user, context, email)
        request_user = getattr(getattr(self, "request", None), "user", None)
        actor = request_user if getattr(request_user, "is_authenticated", False) else user
        user.refresh_from_db(fields=["email"])
        user_account_changed(
            actor=actor,
            user=user,
            changed=[changed],
            old_email=(context or {}).get("from_email", ""),
        )
        return None

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        from .services import email_enqueue

        context = {**context, "current_site": service_site()}

        message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        user = context.get("user")
        email_enqueue(
            to_email=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            template=template_prefix.rsplit("/", 1)[-1],
            user=user if getattr(user, "pk", None) else None,
            language=translation.get_language(),
        )

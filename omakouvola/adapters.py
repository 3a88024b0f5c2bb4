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


class AccountAdapter(DefaultAccountAdapter):
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

"""allauth hooks: its e-mails go through the same queue as every other message."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        from .services import email_enqueue

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

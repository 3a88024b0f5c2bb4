"""Strangers' text and applicants' contacts: unconfirmed addresses, retention (issue 12, 5-6)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail

from committees import services

from .test_services import DRAFT

pytestmark = pytest.mark.django_db

SCAM = "TAX REFUND 1200 EUR: claim at http://evil.example/refund"


def test_the_secret_link_mail_carries_none_of_the_applicants_text(
    committee, django_capture_on_commit_callbacks
):
    """The "tax refund" case: title, name and organisation go nowhere before the address
    is confirmed; the message holds only the city's own words and the link."""
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_save_draft(
            actor=None,
            data={
                **DRAFT,
                "title": SCAM,
                "responsible_person": SCAM[:60],
                "organisation_name": SCAM[:60],
                "email": "victim@example.fi",
            },
            cost_rows=[services.CostRow("Rivi", Decimal("1500.00"))],
            request_rows=[services.RequestRow(committee, Decimal("1200.00"))],
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    html = "".join(content for content, _mime in message.alternatives)
    text = f"{message.subject}\n{message.body}\n{html}"
    assert application.token in message.body
    for piece in ("TAX REFUND", "evil.example", "1200"):
        assert piece not in text


def test_retention_clears_drafts_and_submitted_applications_and_their_secret_links(
    committee, django_capture_on_commit_callbacks
):
    """Three years on, no draft or undecided application keeps a name, address, phone or
    a message holding its secret link."""
    import datetime as dt

    from django.utils import timezone

    from omakouvola import services as core
    from omakouvola.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        draft = services.application_save_draft(
            actor=None,
            data={**DRAFT, "phone": "040 123 4567"},
            cost_rows=[services.CostRow("Rivi", Decimal("1500.00"))],
            request_rows=[services.RequestRow(committee, Decimal("1200.00"))],
        )
        submitted = services.application_save_draft(
            actor=None,
            data={**DRAFT, "email": "toinen@example.fi", "responsible_person": "Toni Toinen"},
            cost_rows=[services.CostRow("Rivi", Decimal("1500.00"))],
            request_rows=[services.RequestRow(committee, Decimal("1200.00"))],
        )
        services.application_verify_email(application=submitted)
        services.application_submit(actor=None, application=submitted)

    result = core.apply_retention(at=timezone.now() + dt.timedelta(days=3 * 365))
    assert result["committees"]["applicant_contacts"] == 2
    for application in (draft, submitted):
        application.refresh_from_db()
        assert (application.responsible_person, application.email, application.phone) == (
            "",
            "",
            "",
        )
    for note in Notification.objects.all():
        held = f"{note.to_email} {note.subject} {note.body_text} {note.body_html}"
        for value in (draft.token, submitted.token, "Liisa", "Toni Toinen", "040 123 4567"):
            assert value not in held

"""Nothing a stranger types reaches an address that has not proved itself (issue 12, 5)."""

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

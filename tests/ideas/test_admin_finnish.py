"""The screening admin reads Finnish: no English column names or raw rating codes."""

from __future__ import annotations

import re

import pytest

from ideas import services

from ..factories import IdeaFactory

pytestmark = pytest.mark.django_db

# Labels a Finnish coordinator once saw in English on these pages.
ENGLISH = ["POSITION", "FROM STATUS", "TO STATUS", "PUBLIC REASONING", "positive/positive"]


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/ideas/idea/",
        "/admin/ideas/idea/{pk}/change/",
        "/admin/ideas/workshop/add/",
        "/admin/ideas/proposal/add/",
    ],
)
def test_the_screening_admin_has_no_english_labels_in_finnish(client, coordinator, cycle, url):
    idea = IdeaFactory(cycle=cycle)
    services.sustainability_record(
        actor=coordinator, idea=idea, ecological="positive", social="positive", economic="positive"
    )
    services.idea_start_screening(actor=coordinator, idea=idea)
    client.force_login(coordinator)
    response = client.get(url.format(pk=idea.pk), HTTP_ACCEPT_LANGUAGE="fi")
    assert response.status_code == 200
    text = _visible_text(response.content.decode())
    found = [label for label in ENGLISH if label.lower() in text.lower()]
    assert not found, f"English on {url}: {found}"

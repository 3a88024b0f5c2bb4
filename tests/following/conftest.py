"""An idea in screening with its writer, a helper and a follower; run hooks as on commit."""

from __future__ import annotations

import pytest

from ideas import services as ideas_services

from ..factories import IdeaFactory, UserFactory


@pytest.fixture
def idea(db, cycle, other_resident):
    return IdeaFactory(cycle=cycle, submitter=other_resident, title="Koirapuisto Kuusankoskelle")


@pytest.fixture
def follower(db):
    return UserFactory(email="seuraaja@example.fi", display_name="Seija", preferred_language="sv")


@pytest.fixture
def helper(db):
    return UserFactory(email="talkoo@example.fi", display_name="Talkoo-Tauno")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service and what waits for its commit (hooks, then the queued tasks)."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


@pytest.fixture
def reject(committed, city_team_member):
    def run(idea):
        return committed(
            ideas_services.idea_reject,
            actor=city_team_member,
            idea=idea,
            reason="not_city_land",
            public_reasoning="Alue on valtion maata.",
        )

    return run

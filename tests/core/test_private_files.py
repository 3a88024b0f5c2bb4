"""Rebuilt PDFs leave no old private file behind, and the daily clean-up takes orphans."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest
from django.utils import timezone

from committees import services as committees_services
from committees.models import Decision
from omakouvola.files import private_files_cleanup
from omakouvola.storage import private_storage
from tests.committees.conftest import *  # noqa: F403

from ..committees.factories import application_to
from ..committees.helpers import grant_input, held_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def _letter(committee, coordinator, capture) -> Decision:
    request = application_to(committee, "500.00", email="liisa@example.fi")
    _meeting, [item] = held_meeting(committee, coordinator, requests=[request])
    with capture(execute=True):
        decision = committees_services.decision_record(
            actor=coordinator, agenda_item=item, data=grant_input(Decimal("500"))
        )
    decision.refresh_from_db()
    assert decision.letter_pdf
    return decision


def test_a_rebuilt_decision_letter_deletes_the_old_pdf_once_the_new_one_is_stored(
    committee, coordinator, django_capture_on_commit_callbacks
):
    decision = _letter(committee, coordinator, django_capture_on_commit_callbacks)
    storage = private_storage()
    first = decision.letter_pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        committees_services.decision_letter_generate(decision_id=decision.pk)
    decision.refresh_from_db()
    assert decision.letter_pdf.name != first
    assert storage.exists(decision.letter_pdf.name)
    assert not storage.exists(first)


def test_a_rebuild_that_rolls_back_keeps_the_old_letter(
    committee, coordinator, django_capture_on_commit_callbacks, monkeypatch
):
    decision = _letter(committee, coordinator, django_capture_on_commit_callbacks)
    first = decision.letter_pdf.name
    monkeypatch.setattr(
        committees_services.documents,
        "audit_record",
        lambda **k: (_ for _ in ()).throw(OSError("disk")),
    )
    with pytest.raises(OSError), django_capture_on_commit_callbacks(execute=True):
        committees_services.decision_letter_generate(decision_id=decision.pk)
    decision.refresh_from_db()
    assert decision.letter_pdf.name == first
    assert private_storage().exists(first)


def test_the_clean_up_removes_old_orphans_and_keeps_named_and_fresh_files(
    committee, coordinator, django_capture_on_commit_callbacks, private_root
):
    decision = _letter(committee, coordinator, django_capture_on_commit_callbacks)
    storage = private_storage()
    folder = os.path.dirname(storage.path(decision.letter_pdf.name))
    orphan = os.path.join(folder, "0123-decision-old.pdf")
    dead_temp = str(private_root / "budgets" / "reports" / "report-9-x.pdf.abc.part")
    fresh = os.path.join(folder, "4567-decision-writing.pdf")
    for path in (orphan, dead_temp, fresh):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(b"%PDF-1.4")
    old = (timezone.now() - dt.timedelta(days=2)).timestamp()
    for path in (orphan, dead_temp, storage.path(decision.letter_pdf.name)):
        os.utime(path, (old, old))
    assert private_files_cleanup() == 2
    assert not os.path.exists(orphan) and not os.path.exists(dead_temp)
    assert os.path.exists(fresh)  # its row may not be committed yet
    assert storage.exists(decision.letter_pdf.name)  # named by its row, however old
    assert private_files_cleanup() == 0

"""Support ("kannatan") on ideas (issue #17): one per verified resident while ideation is
open, a count on the page and list, a screening signal in the admin, audited, race-safe,
exported and erased with the person."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, connections, transaction

from ideas import privacy, services
from ideas.models import IdeaStatus, IdeaSupport
from omakouvola.models import AuditEntry, Role

from ..factories import CycleFactory, IdeaFactory, UserFactory, helsinki

pytestmark = pytest.mark.django_db


def test_a_resident_supports_and_takes_it_back_and_each_change_is_audited(
    idea, resident, other_resident, area, during_ideation
):
    supporter = UserFactory(postal_code="45100")
    assert services.idea_support_set(actor=supporter, idea=idea, support=True) is True
    # Posting the same state again changes nothing and writes no second entry.
    assert services.idea_support_set(actor=supporter, idea=idea, support=True) is True
    assert IdeaSupport.objects.filter(idea=idea).count() == 1
    assert services.idea_support_set(actor=supporter, idea=idea, support=False) is False
    assert services.idea_support_set(actor=supporter, idea=idea, support=False) is False
    assert IdeaSupport.objects.filter(idea=idea).count() == 0
    actions = list(
        AuditEntry.objects.filter(actor=supporter).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["idea.support", "idea.support_withdraw"]


@pytest.mark.parametrize("who", ["unverified", "no_postal_code", "outside_kouvola"])
def test_only_verified_residents_may_support(idea, area, during_ideation, who):
    person = {
        "unverified": lambda: UserFactory(postal_code="45100", verified=False),
        "no_postal_code": lambda: UserFactory(postal_code=""),
        "outside_kouvola": lambda: UserFactory(postal_code="00100"),
    }[who]()
    with pytest.raises(PermissionDenied):
        services.idea_support_set(actor=person, idea=idea, support=True)
    assert not IdeaSupport.objects.exists()


def test_support_closes_with_ideation_and_for_closed_off_ideas(idea, resident, time_machine):
    time_machine.move_to(helsinki(2027, 3, 1, 12, 0), tick=False)  # after ideation
    with pytest.raises(PermissionDenied):
        services.idea_support_set(actor=resident, idea=idea, support=True)
    time_machine.move_to(helsinki(2026, 11, 20, 12, 0), tick=False)
    for status in (IdeaStatus.WITHDRAWN, IdeaStatus.REJECTED, IdeaStatus.DUPLICATE):
        idea.status = status
        with pytest.raises(PermissionDenied):
            services.idea_support_set(actor=resident, idea=idea, support=True)


def test_the_database_allows_one_support_per_person_and_idea(idea, resident):
    IdeaSupport.objects.create(idea=idea, user=resident)
    with pytest.raises(IntegrityError), transaction.atomic():
        IdeaSupport.objects.create(idea=idea, user=resident)


def test_the_page_shows_the_count_and_the_button_and_the_form_posts_the_state(
    client, idea, resident, during_ideation
):
    for _ in range(2):
        IdeaSupport.objects.create(idea=idea, user=UserFactory())
    html = client.get(idea.get_absolute_url()).content.decode()
    assert 'data-support-count="2"' in html
    assert "Sign in to support" in html or "Kirjaudu" in html
    client.force_login(resident)
    html = client.get(idea.get_absolute_url()).content.decode()
    assert 'name="support" value="1"' in html
    response = client.post(f"/fi/ideas/{idea.pk}/support/", {"support": "1"})
    assert response.status_code == 302 and response["Location"].endswith("#support")
    html = client.get(idea.get_absolute_url()).content.decode()
    assert 'data-support-count="3"' in html and 'name="support" value="0"' in html
    client.post(f"/fi/ideas/{idea.pk}/support/", {"support": "0"})
    assert IdeaSupport.objects.filter(idea=idea).count() == 2
    # The list shows the count too.
    assert "2 asukasta kannattaa" in client.get("/fi/ideas/").content.decode()


def test_a_refused_support_is_a_message_not_an_error(client, idea, during_ideation):
    stranger = UserFactory(postal_code="")
    client.force_login(stranger)
    response = client.post(f"/fi/ideas/{idea.pk}/support/", {"support": "1"}, follow=True)
    assert response.status_code == 200
    assert not IdeaSupport.objects.exists()
    assert client.post("/fi/ideas/999999/support/", {"support": "1"}).status_code == 404
    assert client.get(f"/fi/ideas/{idea.pk}/support/").status_code == 405


def test_supports_are_rate_limited(client, idea, resident, during_ideation, settings):
    settings.RATE_LIMIT_SUPPORTS = "3/h"
    client.force_login(resident)
    codes = [
        client.post(f"/fi/ideas/{idea.pk}/support/", {"support": str(n % 2)}).status_code
        for n in range(5)
    ]
    assert codes[:3] == [302, 302, 302] and 429 in codes[3:]


def test_the_support_is_in_the_export_and_gone_after_erasure(idea, resident):
    IdeaSupport.objects.create(idea=idea, user=resident)
    exported = privacy.export(resident)["idea_supports"]
    assert [row["idea__title"] for row in exported] == [idea.title]
    privacy.erase(resident)
    assert not IdeaSupport.objects.filter(user=resident).exists()


def test_the_admin_counts_orders_and_filters_by_support(client, cycle, area, during_ideation):
    coordinator = UserFactory(is_staff=True, roles=[Role.COORDINATOR])
    popular = IdeaFactory(cycle=cycle, title="Suosittu laituri")
    IdeaFactory(cycle=cycle, title="Hiljainen penkki")
    for _ in range(10):
        IdeaSupport.objects.create(idea=popular, user=UserFactory())
    client.force_login(coordinator)
    html = client.get("/admin/ideas/idea/?supports=10").content.decode()
    assert "Suosittu laituri" in html and "Hiljainen penkki" not in html
    html = client.get("/admin/ideas/idea/?supports=none").content.decode()
    assert "Hiljainen penkki" in html and "Suosittu laituri" not in html
    assert client.get("/admin/ideas/idea/?o=-9").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_parallel_supports_by_one_person_make_one_row(time_machine):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent inserts are only meaningful on PostgreSQL")
    from omakouvola.models import Area, PostalCode

    time_machine.move_to(helsinki(2026, 11, 20, 12, 0), tick=True)
    area = Area.objects.create(slug="keskusta-x", name="Keskusta X", population=1)
    PostalCode.objects.create(code="45199", locality="Kouvola", area=area)
    idea = IdeaFactory(cycle=CycleFactory(opening_year=2026))
    person = UserFactory(postal_code="45199")
    others = [UserFactory(postal_code="45199") for _ in range(5)]
    workers = [person] * 6 + others
    barrier = threading.Barrier(len(workers))
    errors: list[BaseException] = []

    def support(who):
        try:
            barrier.wait()
            services.idea_support_set(actor=who, idea=idea, support=True)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=support, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert IdeaSupport.objects.filter(idea=idea, user=person).count() == 1
    assert IdeaSupport.objects.filter(idea=idea).count() == 6
    assert AuditEntry.objects.filter(actor=person, action="idea.support").count() == 1

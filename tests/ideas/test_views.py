"""Residents' pages: list, detail, submission, editing, pledges, workshops, proposals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ideas.models import Idea, IdeaStatus, Theme, VolunteerPledge
from ideas.services import IDEATION_CLOSED  # noqa: F401 - the message the page shows

from ..factories import (
    AreaFactory,
    IdeaFactory,
    ProposalFactory,
    ThemeFactory,
    UserFactory,
    WorkshopFactory,
    helsinki,
)
from .conftest import image_file

pytestmark = pytest.mark.django_db


def _many_ideas(cycle, n):
    areas = [AreaFactory() for _ in range(3)]
    submitter = UserFactory()
    Idea.objects.bulk_create(
        [
            Idea(
                cycle=cycle,
                title=f"Idea {i}",
                description="x",
                area=areas[i % 3],
                submitter=submitter,
            )
            for i in range(n)
        ]
    )
    ideas = list(Idea.objects.all()[:5])
    for idea in ideas:
        idea.images.create(image=f"ideas/{idea.pk}/x.jpg", alt_text="kuva")
        idea.pledges.create(user=submitter, what="apu", hours=2)


@pytest.mark.parametrize("count", [20, 2000])
def test_the_idea_list_runs_a_constant_number_of_queries(
    client, cycle, count, django_assert_num_queries
):
    _many_ideas(cycle, count)
    # The first request reads the filter choices (rounds, themes, areas) into the cache.
    client.get("/fi/ideas/")
    # Issue #15: nine before. The request's savepoint and release, the paginator's count,
    # the page of ideas with each one's first image; the current round is chosen from the
    # cached rounds.
    with django_assert_num_queries(4):
        response = client.get("/fi/ideas/")
    assert response.status_code == 200
    assert response.content.decode().count('class="card h-100 idea-card"') == 20


def test_the_cached_filter_choices_follow_changes_and_the_current_round(client, cycle):
    from ideas.selectors import cycle_current_of, filter_choices
    from omakouvola import selectors as core_selectors
    from omakouvola.models import Cycle

    client.get("/fi/ideas/")
    ThemeFactory(name="Liikenneturvallisuus")
    assert "Liikenneturvallisuus" in client.get("/fi/ideas/").content.decode()
    theme = Theme.objects.get(name="Liikenneturvallisuus")
    theme.name = "Liikenne"
    theme.save()
    html = client.get("/fi/ideas/").content.decode()
    assert "Liikenneturvallisuus" not in html and "Liikenne" in html
    # The page's current round is the one the core selector names, at any date.
    cycles = filter_choices()["cycles"]
    for day in [c.opens_on for c in Cycle.objects.all()] + [cycle.implementation_ends_on]:
        at = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC) + dt.timedelta(days=1)
        assert cycle_current_of(cycles, at=at) == core_selectors.cycle_current(at=at)


def test_the_list_filters_by_area_theme_status_and_text(client, cycle, area, theme, idea):
    IdeaFactory(
        cycle=cycle,
        title="Koirapuisto Kuusankoskelle",
        status=IdeaStatus.REJECTED,
        reject_reason="other",
        area=AreaFactory(),
    )
    IdeaFactory(cycle=cycle, title="Suojatien valaistus", area=None)

    def titles(**params):
        html = client.get("/en/ideas/", params).content.decode()
        return {t for t in ("Ulkokuntosali", "Koirapuisto", "Suojatien") if t in html}

    assert titles() == {"Ulkokuntosali", "Koirapuisto", "Suojatien"}
    assert titles(area=area.pk) == {"Ulkokuntosali"}
    assert titles(area="city") == {"Suojatien"}
    assert titles(theme=theme.pk) == {"Ulkokuntosali"}
    assert titles(status="rejected") == {"Koirapuisto"}
    assert titles(q="koirapuisto") == {"Koirapuisto"}


def test_finnish_full_text_search_finds_inflected_words(client, cycle, settings):
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("Finnish stemming needs PostgreSQL")
    IdeaFactory(cycle=cycle, title="Uimarannan laituri", description="Laituri uimarannalle.")
    html = client.get("/en/ideas/", {"q": "uimaranta"}).content.decode()
    assert "Uimarannan laituri" in html


def test_withdrawn_and_hidden_ideas_are_not_listed_or_shown(client, cycle, idea):
    gone = IdeaFactory(cycle=cycle, title="Peruttu idea", status=IdeaStatus.WITHDRAWN)
    hidden = IdeaFactory(cycle=cycle, title="Piilotettu idea", is_hidden=True)
    html = client.get("/fi/ideas/").content.decode()
    assert "Peruttu idea" not in html and "Piilotettu idea" not in html
    assert client.get(f"/fi/ideas/{gone.pk}/").status_code == 404
    assert client.get(f"/fi/ideas/{hidden.pk}/").status_code == 404
    assert client.get("/fi/ideas/999999/").status_code == 404


def test_nonsense_filters_are_ignored_not_an_error(client, cycle, idea):
    response = client.get(
        "/fi/ideas/",
        {"cycle": "abc", "area": "999", "status": "x", "page": "-3", "theme": "<script>"},
    )
    assert response.status_code == 200


def test_the_idea_page_shows_history_reason_and_pledge_count(client, idea, coordinator):
    from ideas import services

    services.idea_reject(
        actor=coordinator,
        idea=idea,
        reason="later_costs",
        public_reasoning="Ylläpito maksaisi vuosittain.",
    )
    VolunteerPledge.objects.create(user=UserFactory(), idea=idea, what="Talkoot", hours=3)
    html = client.get(f"/en/ideas/{idea.pk}/").content.decode()
    assert "Ylläpito maksaisi vuosittain." in html
    assert "Would create later operating costs" in html
    assert "1 person has offered to help." in html
    assert "Talkoot" not in html  # only the count is public


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_submission_form_renders_in_each_language(
    client, resident, cycle, during_ideation, language
):
    client.force_login(resident)
    response = client.get(f"/{language}/ideas/new/")
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_outside_ideation_the_form_says_when_it_opens_and_accepts_nothing(
    client, resident, cycle, time_machine
):
    time_machine.move_to(helsinki(2026, 10, 15, 12, 0), tick=False)
    client.force_login(resident)
    html = client.get("/en/ideas/new/").content.decode()
    assert "can be submitted from Nov. 1, 2026 to Dec. 31, 2026" in html
    assert '<form method="post" enctype' not in html
    client.post("/en/ideas/new/", {"title": "X", "description": "Y"})
    assert not Idea.objects.exists()


def test_a_resident_submits_with_an_image_and_finds_it_on_my_page(
    client, resident, cycle, area, during_ideation, django_capture_on_commit_callbacks
):
    client.force_login(resident)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/ideas/new/",
            {
                "title": "Lintutorni kosteikolle",
                "description": "Lintutorni koululaisille.",
                "area": area.pk,
                "rough_cost": "25000",
                "image_1": image_file(),
                "image_1_alt": "Kosteikko",
                "consents_to_codevelopment": "on",
            },
        )
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/ideas/{idea.pk}/"
    assert idea.images.count() == 1
    assert "Lintutorni kosteikolle" in client.get("/en/me/").content.decode()


def test_a_bad_image_gets_a_clear_message_and_stores_nothing(
    client, resident, cycle, during_ideation
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(resident)
    response = client.post(
        "/en/ideas/new/",
        {
            "title": "X",
            "description": "Y",
            "image_1": SimpleUploadedFile("virus.png", b"MZ\x90\x00", content_type="image/png"),
        },
    )
    assert response.status_code == 200
    assert "virus.png is not a JPEG, PNG or WebP image." in response.content.decode()
    assert not Idea.objects.exists()


@pytest.mark.parametrize("cost", ["-5", "abc", "1e400", "99999999999999999"])
def test_bad_money_is_refused_with_a_message(client, resident, cycle, during_ideation, cost):
    client.force_login(resident)
    response = client.post("/en/ideas/new/", {"title": "X", "description": "Y", "rough_cost": cost})
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()
    assert not Idea.objects.exists()


def test_another_resident_cannot_open_the_edit_page(client, idea, other_resident):
    client.force_login(other_resident)
    assert client.get(f"/fi/ideas/{idea.pk}/edit/").status_code == 404
    assert client.post(f"/fi/ideas/{idea.pk}/withdraw/").status_code == 404


def test_a_locked_idea_sends_its_submitter_back_with_a_message(client, idea, coordinator):
    from ideas import services

    services.idea_start_screening(actor=coordinator, idea=idea)
    client.force_login(idea.submitter)
    response = client.get(f"/en/ideas/{idea.pk}/edit/", follow=True)
    assert "Screening of this idea has started" in response.content.decode()


def test_pledging_from_the_idea_page(client, idea, other_resident):
    client.force_login(other_resident)
    response = client.post(f"/fi/ideas/{idea.pk}/pledge/", {"what": "Maalaan penkit", "hours": "6"})
    assert response.status_code == 302
    pledge = VolunteerPledge.objects.get()
    assert (pledge.user, pledge.hours) == (other_resident, 6)
    client.post(f"/fi/pledges/{pledge.pk}/withdraw/")
    assert not VolunteerPledge.objects.exists()


def test_workshop_registration_from_the_page(client, cycle, resident, time_machine):
    time_machine.move_to(helsinki(2027, 1, 2, 12, 0), tick=False)
    workshop = WorkshopFactory(cycle=cycle, capacity=1)
    client.force_login(resident)
    client.post(f"/en/workshops/{workshop.pk}/register/")
    html = client.get(f"/en/workshops/{workshop.pk}/").content.decode()
    assert "You have a seat in this workshop." in html
    assert "1 of 1 seats taken" in client.get("/en/workshops/").content.decode()


def test_proposal_pages_show_cost_and_source_ideas(client, cycle, idea):
    proposal = ProposalFactory(cycle=cycle, status="approved", cost=20000)
    idea.proposal = proposal
    idea.status = IdeaStatus.MERGED
    idea.save()
    assert "20\u00a0000,00\u00a0€" in client.get("/fi/proposals/").content.decode()
    html = client.get(f"/fi/proposals/{proposal.pk}/").content.decode()
    assert idea.title in html
    draft = ProposalFactory(cycle=cycle)
    assert client.get(f"/fi/proposals/{draft.pk}/").status_code == 404


def test_every_ideas_page_is_in_the_navigation(client):
    html = client.get("/fi/").content.decode()
    for name in ("ideas:list", "ideas:workshops", "ideas:proposals"):
        assert f'href="{reverse(name)}"'.replace("/en/", "/fi/") in html or reverse(name) in html


def test_public_images_are_served_as_images_with_safe_headers(
    client, resident, cycle, during_ideation
):
    from ideas import services

    idea = services.idea_submit(
        actor=resident, cycle=cycle, title="Kuva", description="x", images=[image_file()]
    )
    url = idea.images.get().image.url
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert client.get("/media/../omakouvola/settings/base.py").status_code == 404
    assert client.get("/media/committees/private.pdf").status_code == 404


def test_photos_of_built_projects_are_public_images_too(client, settings, tmp_path):
    folder = tmp_path / "media" / "budgets" / "7"
    folder.mkdir(parents=True)
    (folder / "kuva.png").write_bytes(image_file(fmt="PNG", name="x.png").read())
    response = client.get("/media/budgets/7/kuva.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    ("lang", "area_text", "support_text", "pledge_text"),
    [
        ("fi", "Koko kaupunki", "2 asukasta kannattaa", "1 vapaaehtoinen tarjoutui auttamaan"),
        ("en", "Whole city", "2 residents support this", "1 volunteer offered help"),
    ],
)
def test_an_idea_card_shows_picture_place_status_date_and_counts(
    client, cycle, lang, area_text, support_text, pledge_text
):
    """The cards are built in Python (ideas_tags.idea_cards): everything the template
    showed is still there, escaped."""
    from ideas.models import IdeaSupport

    theme = ThemeFactory(name="Liikunta", name_en="Sports")
    idea = IdeaFactory(
        cycle=cycle, title="Kuntosali <b>", theme=theme, area=None, description="sana " * 30
    )
    idea.images.create(image=f"ideas/{idea.pk}/x.jpg", alt_text="Laitteet")
    for _ in range(2):
        IdeaSupport.objects.create(idea=idea, user=UserFactory())
    idea.pledges.create(user=UserFactory(), what="apu", hours=2)
    html = client.get(f"/{lang}/ideas/").content.decode()
    assert f'href="/{lang}/ideas/{idea.pk}/"' in html
    assert "Kuntosali &lt;b&gt;" in html
    assert 'alt="Laitteet"' in html and f"ideas/{idea.pk}/x.jpg" in html
    assert f"{area_text} · {theme.localized_name if lang == 'fi' else 'Sports'}" in html
    assert support_text in html and pledge_text in html
    assert ("sana " * 25).strip() + " …" in html
    assert '<span class="badge text-bg-light border">' in html
    assert '<time datetime="' in html

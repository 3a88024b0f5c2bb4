"""Every form, fuzzed: random text, unicode, huge and negative numbers, broken dates,
missing, unknown and repeated fields. No input may give a 500, and a refused input may
write nothing.

The number of examples per form is FUZZ_EXAMPLES (default 20); the total tried is
printed and written to test-artifacts/fuzz-count.txt for docs/quality.md.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import max_lengths, post_forms

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
TRIED: dict[str, int] = {}

NASTY = [
    "",
    " ",
    "0",
    "-1",
    "-0.01",
    "1e400",
    "NaN",
    "Infinity",
    "99999999999999999999",
    "31.02.2026",
    "2026-02-31",
    "9999-99-99",
    "abc",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\\x00",
    "on",
    "true",
    "fi",
    "45100",
    "00100",
    "1",
    "2",
    "3",
    "999999",
    "𝕂𝕠𝕦𝕧𝕠𝕝𝕒",
    "ääkköset ÅÄÖ",
    "a" * 5000,
    # Digits to str.isdigit() that int() refuses, and digits of other scripts.
    "²",
    "1²",
    "①",
    "٣",
    "১২",
    # One past PostgreSQL's bigint: an id that overflows any related field.
    "9223372036854775808",
    "-9223372036854775809",
]
values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=200),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(lambda d: d.isoformat()),
)
field_value = st.one_of(values, st.lists(values, min_size=2, max_size=3))

# (role, page) — every POST form on the page is fuzzed, posted to its own action.
TARGETS = [
    ("anonymous", lambda w: "/en/accounts/signup/"),
    ("anonymous", lambda w: "/en/accounts/login/"),
    ("anonymous", lambda w: "/en/accounts/password/reset/"),
    ("anonymous", lambda w: "/en/committees/apply/"),
    ("resident", lambda w: "/en/profile/"),
    ("resident", lambda w: "/en/ideas/new/"),
    ("resident", lambda w: f"/en/ideas/{w['own_idea'].pk}/edit/"),
    ("resident", lambda w: f"/en/ideas/{w['own_idea'].pk}/"),
    ("resident", lambda w: f"/en/proposals/{w['proposal'].pk}/"),
    ("resident", lambda w: f"/en/workshops/{w['workshop'].pk}/"),
    ("resident", lambda w: f"/en/voting/{w['open_ballot'].pk}/"),
    ("resident", lambda w: "/en/profile/delete/"),
    ("clerk", lambda w: f"/en/voting/paper/?ballot={w['open_ballot'].pk}"),
    ("clerk", lambda w: "/en/voting/identity/"),
    ("chair", lambda w: f"/en/committees/requests/{w['request'].pk}/"),
    ("chair", lambda w: "/en/committees/valkeala/meetings/new/"),
    ("chair", lambda w: f"/en/committees/meetings/{w['meeting'].pk}/"),
    ("chair", lambda w: "/en/committees/valkeala/adopt/"),
    ("council", lambda w: "/en/budgets/reports/"),
    # Staff forms in the admin.
    ("coordinator", lambda w: "/admin/ideas/idea/add/"),
    ("coordinator", lambda w: "/admin/ideas/workshop/add/"),
    ("coordinator", lambda w: f"/admin/ideas/workshop/{w['workshop'].pk}/change/"),
    ("coordinator", lambda w: "/admin/committees/meeting/add/"),
    ("coordinator", lambda w: "/admin/committees/payment/add/"),
    ("coordinator", lambda w: "/admin/budgets/appropriation/add/"),
    ("coordinator", lambda w: "/admin/budgets/expense/add/"),
]

WATCHED_APPS = ("omakouvola", "ideas", "voting", "committees", "budgets")


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app in WATCHED_APPS
        for model in apps.get_app_config(app).get_models()
        if not model._meta.label.endswith(("Notification", "OutboxTask"))
    }


def _objects(world):
    from committees.models import FundingRequest, Meeting
    from ideas.models import Idea, Proposal, Workshop
    from voting.models import Ballot

    return {
        "own_idea": Idea.objects.filter(submitter=world["resident"], status="submitted").first(),
        "proposal": Proposal.objects.exclude(status="draft").first(),
        "workshop": Workshop.objects.order_by("-starts_at").first(),
        "open_ballot": Ballot.objects.get(name="Avoin testiäänestys"),
        "request": FundingRequest.objects.filter(committee__slug="valkeala").first(),
        "meeting": Meeting.objects.filter(committee__slug="valkeala")
        .order_by("-starts_at")
        .first(),
    }


def test_no_form_input_gives_an_error_page_or_a_partial_write(client, world, settings_fixture):
    objects = _objects(world)
    total = 0
    for role, page in TARGETS:
        client.logout()
        if world[role] is not None:
            client.force_login(world[role])
        path = page(objects)
        response = client.get(path)
        assert response.status_code == 200, (role, path, response.status_code)
        html = response.content.decode()
        forms = post_forms(html, path.split("?")[0])
        assert forms, f"no form on {path}"
        limits = max_lengths(html)
        for action, fields in forms:
            tried = _fuzz(client, action, fields, limits)
            TRIED[f"{role} {action}"] = tried
            total += tried
    out = Path(__file__).resolve().parents[2] / "test-artifacts"
    out.mkdir(exist_ok=True)
    (out / "fuzz-count.txt").write_text(f"{total} inputs on {len(TRIED)} forms\n")
    print(f"\nfuzzed {total} inputs on {len(TRIED)} forms")
    assert total >= EXAMPLES * len(TARGETS)


def _fuzz(client, action: str, fields: list[str], limits: dict[str, int]) -> int:
    counter = {"n": 0}
    keys = st.sampled_from([*fields, "unexpected_field"]) if fields else st.just("x")

    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(data=st.dictionaries(keys, field_value, max_size=len(fields) + 2), long=st.booleans())
    def run(data, long):
        counter["n"] += 1
        if long:  # every field the page limits gets ten times its maxlength
            data.update({name: "ü" * 10 * limits[name] for name in fields if name in limits})
        before = _counts()
        response = client.post(action, data)
        assert response.status_code < 500, (action, data)
        if response.status_code not in (301, 302, 303):
            assert _counts() == before, (action, data, response.status_code)

    run()
    return counter["n"]


@pytest.fixture
def settings_fixture(settings):
    settings.RATE_LIMIT_IDEAS = settings.RATE_LIMIT_VOTES = "100000/m"
    settings.RATE_LIMIT_APPLICATIONS = "100000/m"
    settings.ACCOUNT_RATE_LIMITS = False
    return settings

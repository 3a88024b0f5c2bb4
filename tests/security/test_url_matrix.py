"""Every URL × every role, with the expected outcome in one table.

GET requests as each role against the demo world (the admin and allauth's own pages are
left out: the admin has its own tests and allauth its own).

The URL list is read from the URL configuration, so a new URL without a row here fails
the test. Outcomes: 200 page, "login" (redirect to sign in), 403, 404, 405 (POST only),
"redirect" (elsewhere, e.g. back with a message) and "file" (a download).
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "unverified",
    "resident",
    "expert",
    "city_team",
    "coordinator",
    "decision_maker",
    "clerk",
    "member",
    "chair",
    "council",
]

# One row per URL name; one column per role, in the order of ROLES.
# 200 page · L redirect to sign in · R redirect elsewhere · F a file · 403 · 404 · 405 POST only
# fmt: off
EXPECTED_TABLE: dict[str, str] = {
    # name                               anon  unve  resi  expe  city  coor  deci  cler  memb  chai  coun
    "accessibility":                      "200   200   200   200   200   200   200   200   200   200   200",
    "budgets:built":                      "200   200   200   200   200   200   200   200   200   200   200",
    "budgets:dashboard":                  "L     403   403   403   200   200   200   403   403   403   200",
    "budgets:map_data":                   "F     F     F     F     F     F     F     F     F     F     F",
    "budgets:project":                    "200   200   200   200   200   200   200   200   200   200   200",
    "budgets:report":                     "404   404   404   404   200   200   200   404   404   404   200",
    "budgets:report_pdf":                 "404   404   404   404   F     F     F     404   404   404   F",
    "budgets:report_publish":             "405   405   405   405   405   405   405   405   405   405   405",
    "budgets:report_request":             "405   405   405   405   405   405   405   405   405   405   405",
    "budgets:reports":                    "200   200   200   200   200   200   200   200   200   200   200",
    "budgets:table_download":             "L     403   403   403   F     F     F     403   403   403   F",
    "committees:adopt":                   "L     403   403   403   403   200   403   403   403   200   403",
    "committees:application":             "200   200   200   200   200   200   200   200   200   200   200",
    "committees:application_attach":      "405   405   405   405   405   405   405   405   405   405   405",
    "committees:application_attachment":  "404   404   404   404   404   404   404   404   404   404   404",
    "committees:application_edit":        "R     R     R     R     R     R     R     R     R     R     R",
    "committees:application_letter":      "404   404   404   404   404   404   404   404   404   404   404",
    "committees:application_report":      "200   200   200   200   200   200   200   200   200   200   200",
    "committees:application_submit":      "405   405   405   405   405   405   405   405   405   405   405",
    "committees:apply":                   "200   200   200   200   200   200   200   200   200   200   200",
    "committees:attachment":              "404   404   404   404   404   404   404   404   404   404   404",
    "committees:chairs":                  "L     403   403   403   403   200   403   403   403   200   403",
    "committees:chairs_meeting_new":      "L     403   403   403   403   200   403   403   403   403   403",
    "committees:detail":                  "200   200   200   200   200   200   200   200   200   200   200",
    "committees:letter":                  "L     403   403   403   403   404   403   403   403   403   403",
    "committees:link_sent":               "200   200   200   200   200   200   200   200   200   200   200",
    "committees:list":                    "200   200   200   200   200   200   200   200   200   200   200",
    "committees:meeting":                 "L     403   403   403   403   200   403   403   200   200   403",
    "committees:meeting_agenda":          "405   405   405   405   405   405   405   405   405   405   405",
    "committees:meeting_approve":         "405   405   405   405   405   405   405   405   405   405   405",
    "committees:meeting_attendance":      "405   405   405   405   405   405   405   405   405   405   405",
    "committees:meeting_decide":          "L     403   403   403   403   404   403   403   403   404   403",
    "committees:meeting_invite":          "405   405   405   405   405   405   405   405   405   405   405",
    "committees:meeting_minutes":         "405   405   405   405   405   405   405   405   405   405   405",
    "committees:meeting_new":             "L     403   403   403   403   200   403   403   403   200   403",
    "committees:meeting_regrets":         "405   405   405   405   405   405   405   405   405   405   405",
    "committees:minutes":                 "L     403   403   403   403   404   403   403   404   404   403",
    "committees:my_applications":         "L     200   200   200   200   200   200   200   200   200   200",
    "committees:request":                 "L     403   403   403   403   200   403   403   200   200   403",
    "committees:request_comment":         "405   405   405   405   405   405   405   405   405   405   405",
    "committees:request_conflict":        "405   405   405   405   405   405   405   405   405   405   405",
    "committees:request_fast_track":      "L     403   403   403   403   403   403   403   403   200   403",
    "committees:workspace":               "L     403   403   403   403   200   403   403   200   200   403",
    "areas_geojson":                      "F     F     F     F     F     F     F     F     F     F     F",
    "discussion:comment_idea":            "L     405   405   405   405   405   405   405   405   405   405",
    "discussion:comment_proposal":        "L     405   405   405   405   405   405   405   405   405   405",
    "discussion:moderate":                "405   405   405   405   405   405   405   405   405   405   405",
    "discussion:moderation":              "L     403   403   403   200   200   403   403   403   403   403",
    "discussion:report":                  "L     403   200   200   200   200   200   200   200   200   200",
    "following:delivery":                 "L     405   405   405   405   405   405   405   405   405   405",
    "following:follow":                   "L     405   405   405   405   405   405   405   405   405   405",
    "following:mine":                     "L     200   200   200   200   200   200   200   200   200   200",
    "following:unsubscribe":              "200   200   200   200   200   200   200   200   200   200   200",
    "delete_account":                     "L     200   200   200   200   200   200   200   200   200   200",
    "healthz":                            "F     F     F     F     F     F     F     F     F     F     F",
    "home":                               "200   200   200   200   200   200   200   200   200   200   200",
    "ideas:detail":                       "200   200   200   200   200   200   200   200   200   200   200",
    "ideas:edit":                         "L     404   200   404   404   404   404   404   404   404   404",
    "ideas:list":                         "200   200   200   200   200   200   200   200   200   200   200",
    "ideas:scan":                         "L     403   403   403   F     F     403   403   403   403   403",
    "ideas:map_data":                     "F     F     F     F     F     F     F     F     F     F     F",
    "ideas:proposal_map_data":            "F     F     F     F     F     F     F     F     F     F     F",
    "ideas:support":                      "L     405   405   405   405   405   405   405   405   405   405",
    "ideas:mine":                         "L     R     R     R     R     R     R     R     R     R     R",
    "ideas:pledge_idea":                  "L     405   405   405   405   405   405   405   405   405   405",
    "ideas:pledge_proposal":              "L     405   405   405   405   405   405   405   405   405   405",
    "ideas:pledge_withdraw":              "L     405   405   405   405   405   405   405   405   405   405",
    "ideas:proposal":                     "200   200   200   200   200   200   200   200   200   200   200",
    "ideas:proposals":                    "200   200   200   200   200   200   200   200   200   200   200",
    "ideas:submit":                       "L     R     200   200   200   200   200   200   200   200   200",
    "ideas:withdraw":                     "L     404   200   404   404   404   404   404   404   404   404",
    "ideas:workshop":                     "200   200   200   200   200   200   200   200   200   200   200",
    "ideas:workshop_cancel":              "L     405   405   405   405   405   405   405   405   405   405",
    "ideas:workshop_register":            "L     405   405   405   405   405   405   405   405   405   405",
    "ideas:workshops":                    "200   200   200   200   200   200   200   200   200   200   200",
    "my_page":                            "L     200   200   200   200   200   200   200   200   200   200",
    "my_data":                            "L     F     F     F     F     F     F     F     F     F     F",
    "open_data":                          "200   200   200   200   200   200   200   200   200   200   200",
    "opendata_csv":                       "F     F     F     F     F     F     F     F     F     F     F",
    "opendata-v1:api-root":               "404   404   404   404   404   404   404   404   404   404   404",
    "opendata-v1:ballot_results":         "F     F     F     F     F     F     F     F     F     F     F",
    "opendata-v1:list_ballots":           "F     F     F     F     F     F     F     F     F     F     F",
    "opendata-v1:list_cycles":            "F     F     F     F     F     F     F     F     F     F     F",
    "opendata-v1:list_expenses":          "F     F     F     F     F     F     F     F     F     F     F",
    "opendata-v1:list_ideas":             "F     F     F     F     F     F     F     F     F     F     F",
    "opendata-v1:list_implementations":   "F     F     F     F     F     F     F     F     F     F     F",
    "opendata-v1:list_proposals":         "F     F     F     F     F     F     F     F     F     F     F",
    "opendata-v1:openapi-json":           "F     F     F     F     F     F     F     F     F     F     F",
    "privacy":                            "200   200   200   200   200   200   200   200   200   200   200",
    "public_media":                       "404   404   404   404   404   404   404   404   404   404   404",
    "profile":                            "L     200   200   200   200   200   200   200   200   200   200",
    "staff_home":                         "L     403   403   200   200   200   200   200   403   200   403",
    "set_language":                       "R     R     R     R     R     R     R     R     R     R     R",
    "identification:mpassid_callback":    "L     400   400   400   400   400   400   400   400   400   400",
    "identification:mpassid_login":       "L     404   404   404   404   404   404   404   404   404   404",
    "identification:saml_acs":            "405   405   405   405   405   405   405   405   405   405   405",
    "identification:saml_login":          "L     404   404   404   404   404   404   404   404   404   404",
    "identification:saml_logout":         "L     R     R     R     R     R     R     R     R     R     R",
    "identification:saml_ls":             "404   404   404   404   404   404   404   404   404   404   404",
    "identification:saml_ls_post":        "404   404   404   404   404   404   404   404   404   404   404",
    "identification:saml_metadata":       "404   404   404   404   404   404   404   404   404   404   404",
    "identification:status":              "L     200   200   200   200   200   200   200   200   200   200",
    "identification:suomifi_finish":      "L     400   400   400   400   400   400   400   400   400   400",
    "identification:test_oidc_authorize": "404   404   404   404   404   404   404   404   404   404   404",
    "identification:test_oidc_jwks":      "404   404   404   404   404   404   404   404   404   404   404",
    "identification:test_oidc_token":     "405   405   405   405   405   405   405   405   405   405   405",
    "identification:test_oidc_userinfo":  "404   404   404   404   404   404   404   404   404   404   404",
    "identification:test_saml_metadata":  "404   404   404   404   404   404   404   404   404   404   404",
    "identification:test_saml_slo":       "404   404   404   404   404   404   404   404   404   404   404",
    "identification:test_saml_sso":       "404   404   404   404   404   404   404   404   404   404   404",
    "voting:ballot":                      "200   200   200   200   200   200   200   200   200   200   200",
    "voting:ballots":                     "200   200   200   200   200   200   200   200   200   200   200",
    "voting:code_done":                   "200   200   200   200   200   200   200   200   200   200   200",
    "voting:code_vote":                   "200   200   200   200   200   200   200   200   200   200   200",
    "voting:map_data":                    "F     F     F     F     F     F     F     F     F     F     F",
    "voting:my_vote":                     "200   200   200   200   200   200   200   200   200   200   200",
    "voting:decide":                      "L     403   403   403   403   403   200   403   403   403   403",
    "voting:paper_vote":                  "L     403   403   403   403   403   403   200   403   403   403",
    "voting:receipt":                     "L     404   200   404   404   404   404   404   404   404   404",
    "voting:results":                     "200   200   200   200   200   200   200   200   200   200   200",
    "voting:results_pabulib":             "F     F     F     F     F     F     F     F     F     F     F",
    "voting:verify_identity":             "L     403   403   403   403   403   403   200   403   403   403",
}
# fmt: on
CODES = {"L": "login", "R": "redirect", "F": "file"}
EXPECTED = {
    name: dict(zip(ROLES, (CODES.get(c, c) for c in row.split()), strict=True))
    for name, row in EXPECTED_TABLE.items()
}


def _patterns(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in {"admin"} or "accounts/" in str(pattern.pattern):
                continue
            yield from _patterns(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def test_every_url_has_a_row_in_the_table():
    names = {name for name, _ in _patterns()}
    assert names - set(EXPECTED) == set(), "add these URLs to EXPECTED"
    assert set(EXPECTED) - names == set(), "these rows name URLs that no longer exist"


def test_every_url_answers_every_role_as_the_table_says(client, world):
    from .matrix_world import outcome, url_kwargs

    kwargs = url_kwargs(world)
    wrong = []
    checked = 0
    for name, _pattern in sorted(_patterns()):
        url = reverse(name, kwargs=kwargs.get(name, {}))
        url = url.replace("/fi/", "/en/", 1)
        for role in ROLES:
            client.logout()
            if world[role] is not None:
                client.force_login(world[role])
            got = outcome(client.get(url))
            checked += 1
            if str(got) != str(EXPECTED[name][role]):
                wrong.append(f"{name} as {role}: expected {EXPECTED[name][role]}, got {got}")
    assert wrong == [], "\n".join(wrong)
    print(f"\n{checked} URL × role combinations checked")

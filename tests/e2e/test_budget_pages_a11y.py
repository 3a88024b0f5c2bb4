"""The council's dashboard and report pages in Chromium: axe-core clean (WCAG 2.1 AA), no
duplicate ids, at phone and desktop width. Once failed with `empty-table-header`,
`landmark-unique` and two fields with the id `id_year`."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ..security.matrix_world import url_kwargs
from .conftest import axe_violations
from .test_accessibility import _login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DUPLICATE_IDS = """() => {
  const seen = {}, twice = [];
  for (const el of document.querySelectorAll('[id]')) {
    if (seen[el.id]) twice.push(el.id); seen[el.id] = true;
  }
  return twice;
}"""


@pytest.mark.parametrize("role", ["council", "coordinator"])
def test_dashboard_and_report_pages_pass_axe_with_unique_ids(browser, live_server, world, role):
    kwargs = url_kwargs(world)
    context = _login(browser, live_server, world[role])
    page = context.new_page()
    problems = []
    for name in ("budgets:dashboard", "budgets:reports", "budgets:report"):
        url = live_server.url + reverse(name, kwargs=kwargs.get(name, {})).replace(
            "/en/", "/fi/", 1
        )
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(url)
            assert response.status == 200, url
            violations = axe_violations(page)
            if violations:
                problems.append(f"{name} @{width}: {violations}")
            twice = page.evaluate(DUPLICATE_IDS)
            if twice:
                problems.append(f"{name} @{width}: duplicate ids {twice}")
    context.close()
    assert problems == [], "\n".join(problems)

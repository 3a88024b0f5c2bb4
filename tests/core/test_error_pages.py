"""Error pages speak the page's language inside the site's layout, not Django's bare English."""

from __future__ import annotations

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_a_forbidden_page_is_in_finnish_with_a_way_back(client, resident):
    client.force_login(resident)
    response = client.get("/fi/staff/")
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="fi">' in html
    assert "Ei pääsyä" in html
    assert 'href="/fi/"' in html
    assert "403 Forbidden" not in html


def test_a_missing_page_is_in_swedish_on_a_swedish_address(client):
    response = client.get("/sv/ideas/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "Sidan hittades inte" in html


@override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_a_server_error_page_renders_without_a_request_context():
    from django.test import RequestFactory
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override("fi"):
        response = server_error(RequestFactory().get("/fi/"))
    assert response.status_code == 500
    assert "Jotain meni vikaan" in response.content.decode()
    # The CSP (style-src 'self') would drop an inline style: the page links its stylesheet.
    assert "style=" not in response.content.decode()
    assert 'rel="stylesheet"' in response.content.decode()

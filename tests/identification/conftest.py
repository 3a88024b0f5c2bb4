"""The local test identity service as the protocol peer: keys made for this run only."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from identification.devsettings import dev_identification_settings


@pytest.fixture(scope="session")
def identification_keys(tmp_path_factory):
    """Key pairs generated at test time into a temporary folder, never committed."""
    return tmp_path_factory.mktemp("identification-keys")


def use_test_service(settings, keys_dir, site_url: str) -> None:
    settings.IDENTIFICATION_DEV_IDP = True
    settings.IDENTIFICATION_KEY_DIR = str(keys_dir)
    settings.OMAKOUVOLA_SITE_URL = site_url
    for name, value in dev_identification_settings(site_url, "").items():
        setattr(settings, name, value)


@pytest.fixture
def test_service(settings, identification_keys):
    use_test_service(settings, identification_keys, "http://testserver")
    return settings


def saml_request_of(response) -> tuple[str, str]:
    """(SAMLRequest, RelayState) from the SP's redirect to the identity provider."""
    assert response.status_code == 302, response.status_code
    query = parse_qs(urlparse(response["Location"]).query)
    return query["SAMLRequest"][0], query.get("RelayState", [""])[0]

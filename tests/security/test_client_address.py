"""Client addresses behind a proxy and password strength (issue 12, items 3 and 4)."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory, override_settings
from django_ratelimit.core import get_usage

from omakouvola.clientip import client_ip

pytestmark = pytest.mark.django_db


def _request(remote: str, xff: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().post("/", **extra)


def _count(request) -> int:
    usage = get_usage(request, group="t", key="ip", rate="100/h", method="POST", increment=True)
    return usage["count"]


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=0)
def test_a_direct_client_is_counted_by_its_own_address_and_a_forged_header_is_ignored():
    assert client_ip(_request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"
    assert _count(_request("203.0.113.5", "198.51.100.1")) == 1
    assert _count(_request("203.0.113.5", "198.51.100.2")) == 2


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_each_person_has_their_own_counter():
    """Ten failures from one person must not lock out another behind the same proxy."""
    first = _request("10.0.0.2", "198.51.100.7")
    assert client_ip(first) == "198.51.100.7"
    for _ in range(10):
        _count(_request("10.0.0.2", "198.51.100.7"))
    assert _count(_request("10.0.0.2", "198.51.100.8")) == 1
    # A client that sends its own header cannot choose its address: the proxy appends.
    assert client_ip(_request("10.0.0.2", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"


@pytest.mark.parametrize("password", ["kouvola1", "salasana", "lyhyt-123"])
def test_short_and_common_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("kaunis-kesä-Kouvolassa")

"""Production refuses the local test identity service."""

from __future__ import annotations

import sys

from ..test_project import PRODUCTION_ENV, _run


def test_production_refuses_the_test_identity_service():
    env = {
        **PRODUCTION_ENV,
        "DJANGO_SETTINGS_MODULE": "omakouvola.settings.production",
        "IDENTIFICATION_DEV_IDP": "true",
    }
    result = _run([sys.executable, "manage.py", "check"], env)
    assert result.returncode != 0
    assert "IDENTIFICATION_DEV_IDP is a local test service" in result.stderr


def test_production_refuses_mpassid_without_an_issuer():
    base = {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "omakouvola.settings.production"}
    refused = _run([sys.executable, "manage.py", "check"], {**base, "MPASSID_CLIENT_ID": "x"})
    assert refused.returncode != 0
    assert "MPASSID_ISSUER is not" in refused.stderr
    fine = {**base, "MPASSID_CLIENT_ID": "x", "MPASSID_ISSUER": "https://mpass-proxy.csc.fi"}
    assert "MPASSID_ISSUER" not in _run([sys.executable, "manage.py", "check"], fine).stderr


def test_local_settings_offer_strong_identification_through_the_test_service():
    env = {"DJANGO_SETTINGS_MODULE": "omakouvola.settings.local"}
    code = "from django.conf import settings; print(settings.STRONG_IDENTITY_PROVIDER)"
    result = _run([sys.executable, "-c", f"import django; django.setup(); {code}"], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "suomifi-test"

"""Settings that point Suomi.fi and MPASSid at the local test identity service."""

from __future__ import annotations


def dev_identification_settings(site_url: str, strong_provider: str) -> dict:
    site = site_url.rstrip("/")
    oidc = site + "/identification/test-service/oidc"
    return {
        "STRONG_IDENTITY_PROVIDER": strong_provider or "suomifi-test",
        # The test service shares the site's origin; a SameSite=None cookie without https
        # would be dropped by the browser.
        "SAML_SESSION_COOKIE_SAMESITE": "Lax",
        "MPASSID_ISSUER": oidc,
        "OIDC_RP_CLIENT_ID": "omakouvola-test",
        "OIDC_RP_CLIENT_SECRET": "test-service-not-secret",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": oidc + "/authorize/",
        "OIDC_OP_TOKEN_ENDPOINT": oidc + "/token/",
        "OIDC_OP_USER_ENDPOINT": oidc + "/userinfo/",
        "OIDC_OP_JWKS_ENDPOINT": oidc + "/jwks/",
    }

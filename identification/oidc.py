"""MPASSid (OpenID Connect) through mozilla-django-oidc, for a signed-in pupil.

The backend never signs anybody in and never creates an account: it confirms that the
account already signed in belongs to a pupil of a school, and records the school and the
age its class level tells. mozilla-django-oidc checks the state, the nonce and the ID
token's signature (the provider's JWKS); this adds the audience and the issuer, which it
leaves unchecked.
"""

from __future__ import annotations

import logging

import jwt
from django.conf import settings
from django.core.exceptions import SuspiciousOperation, ValidationError
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from . import services

logger = logging.getLogger(__name__)

SESSION_ERROR = "identification_error"


def is_configured() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID and settings.OIDC_OP_AUTHORIZATION_ENDPOINT)


class SchoolAccountBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not is_configured():
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        # mozilla-django-oidc turns only a bad signature into SuspiciousOperation; an
        # expired or not-yet-valid token would otherwise escape as a server error.
        try:
            payload = super().verify_token(token, **kwargs)
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"ID token refused: {type(exc).__name__}") from None
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token is for another client.")
        if settings.MPASSID_ISSUER and payload.get("iss") != settings.MPASSID_ISSUER:
            raise SuspiciousOperation("ID token from an unexpected issuer.")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        claims = {**self.get_userinfo(access_token, id_token, payload), **payload}
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("User info is about another subject.")
        user = self.request.user
        try:
            services.identity_confirm(user=user, facts=services.mpassid_facts(claims))
        except ValidationError as exc:
            self.request.session[SESSION_ERROR] = list(exc.messages)
            return None
        return user

    def get_user(self, user_id):
        return None  # never a login backend: sessions stay with allauth's backends

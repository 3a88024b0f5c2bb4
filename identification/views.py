"""Suomi.fi (SAML) and MPASSid (OpenID Connect) for a signed-in resident.

The protocol work is djangosaml2's and mozilla-django-oidc's; these views only decide
what happens around it. Suomi.fi posts its assertion from its own site, where the
site's session cookie (SameSite=Lax) does not travel, so the assertion consumer keeps the
verified facts (identity hashes, never the code) in djangosaml2's own SAML session and
the finishing step, a top-level GET with the resident's session, applies them.
"""

from __future__ import annotations

import base64
import logging
import zlib
from xml.etree import ElementTree
from xml.parsers.expat import ExpatError

import requests
import saml2
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy
from djangosaml2 import views as saml_views
from mozilla_django_oidc import views as oidc_views
from saml2.s_utils import UnravelError

from voting.eligibility import NOT_KOUVOLA_MUNICIPALITY

from . import oidc, saml, selectors, services

logger = logging.getLogger(__name__)

PENDING = "identification_pending"
IDENTITY_CACHE = "_saml2_identities"  # djangosaml2.cache.IdentityCache's session key
NEXT = "identification_next"
# The account that started Suomi.fi, in the site's own session (flushed at sign-out and
# when another person signs in): the pending facts live in the SAML session, a cookie of
# its own that outlives both, so the finishing step applies them only to this account.
STARTED_FOR = "identification_suomifi_for"

SAML_REFUSED = gettext_lazy(
    "Suomi.fi identification did not succeed, and nothing was changed. Start again from "
    "the vote's page; if it keeps failing, you can vote at a service point."
)
SAML_REPLAYED = gettext_lazy("This identification was already used. Please start again.")
SAML_NOT_ENCRYPTED = "Assertion was not encrypted."
MPASSID_REFUSED = gettext_lazy(
    "The school account sign-in did not succeed, and nothing was changed. Please start again."
)
NOT_CONFIGURED = gettext_lazy("This identification method is not in use in this service.")
IDENTIFIED_STRONG = gettext_lazy("You are now identified with Suomi.fi.")
IDENTIFIED_SCHOOL = gettext_lazy("Your school account is now linked to your account.")
LOGGED_OUT = gettext_lazy("You have logged out of OmaKouvola and of Suomi.fi.")
LOGOUT_UNREADABLE = gettext_lazy(
    "The logout message from Suomi.fi could not be read, so nothing was changed. Log out "
    "again from the menu."
)
# What pysaml2 raises for a logout message that is not base64, not deflated or not XML.
UNREADABLE_SAML = (
    saml2.SAMLError,
    UnravelError,
    ValueError,
    zlib.error,
    ElementTree.ParseError,
    ExpatError,
)


def _safe_next(request: HttpRequest, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("identification:status")


def _refused(request: HttpRequest, messages_: list[str], status: int = 403) -> HttpResponse:
    return render(request, "identification/refused.html", {"problems": messages_}, status=status)


@login_required
def status(request: HttpRequest) -> HttpResponse:
    """What the account's identity is, what it proves, and the ways to prove more."""
    return render(
        request,
        "identification/status.html",
        {
            "identity": selectors.identity_summary(request.user),
            "suomifi": saml.is_configured(),
            "mpassid": oidc.is_configured(),
            "test_service": settings.IDENTIFICATION_DEV_IDP,
            "kouvola_code": settings.KOUVOLA_MUNICIPALITY_CODE,
            "next": _safe_next(request, request.GET.get("next")),
        },
    )


class SuomifiMetadataView(saml_views.MetadataView):
    """The SP metadata the city registers with Suomi.fi (404 where Suomi.fi is not set up)."""

    def get(self, request, *args, **kwargs):
        if not saml.is_configured():
            raise Http404
        return super().get(request, *args, **kwargs)


class SuomifiLoginView(LoginRequiredMixin, saml_views.LoginView):
    """Starts Suomi.fi for the signed-in account (djangosaml2 would skip a signed-in user)."""

    def should_prevent_auth(self, request) -> bool:
        return False

    def get(self, request, *args, **kwargs):
        if not saml.is_configured():
            return _refused(request, [str(NOT_CONFIGURED)], status=404)
        request.session[NEXT] = _safe_next(request, request.GET.get("next"))
        request.session[STARTED_FOR] = request.user.pk
        request.GET = request.GET.copy()
        request.GET["next"] = reverse("identification:suomifi_finish")
        return super().get(request, *args, **kwargs)


class SuomifiAcsView(saml_views.AssertionConsumerServiceView):
    """Refuses unsigned, unencrypted, expired, unsolicited and replayed assertions."""

    def custom_validation(self, response):
        if settings.SUOMIFI_REQUIRE_ENCRYPTION:
            raw = base64.b64decode(self.request.POST.get("SAMLResponse", ""))
            if b"EncryptedAssertion" not in raw or response.response.assertion:
                raise SuspiciousOperation(SAML_NOT_ENCRYPTED)

    def handle_acs_failure(self, request, exception=None, status=403, **kwargs):
        logger.info("Suomi.fi assertion refused: %s", type(exception).__name__)
        text = getattr(exception, "identification_message", None) or SAML_REFUSED
        return _refused(request, [str(text)], status=status)

    def authenticate_user(self, request, session_info, attribute_mapping, create, assertion_info):
        assertion_id = assertion_info.get("assertion_id") or ""
        # pysaml2 already refuses a response to a request that was answered (the
        # outstanding query is gone); this refuses the same assertion in any session.
        if not assertion_id or not cache.add(f"saml-assertion:{assertion_id}", 1, 60 * 60):
            denied = PermissionDenied("replayed")
            denied.identification_message = SAML_REPLAYED
            raise denied
        try:
            facts = services.suomifi_facts(session_info.get("ava", {}))
        except ValidationError as exc:
            denied = PermissionDenied("attributes")
            denied.identification_message = " ".join(exc.messages)
            raise denied from None
        request.saml_session[PENDING] = facts.to_session()
        _forget_attributes(request.saml_session)
        saml_views._set_subject_id(request.saml_session, session_info["name_id"])
        return None

    def custom_redirect(self, user, relay_state, session_info) -> str:
        return reverse("identification:suomifi_finish")


def _forget_attributes(saml_session) -> None:
    """pysaml2 keeps the whole assertion's attributes for single logout, the personal
    identity code among them; logout needs only who and where, so the attributes go."""
    identities = saml_session.get(IDENTITY_CACHE, {})
    for entities in identities.values():
        for entity_id, (valid_until, info) in list(entities.items()):
            entities[entity_id] = (valid_until, {**info, "ava": {}})
    saml_session[IDENTITY_CACHE] = identities


@login_required
def suomifi_finish(request: HttpRequest) -> HttpResponse:
    pending = request.saml_session.pop(PENDING, None)
    if request.session.pop(STARTED_FOR, None) != request.user.pk:
        pending = None  # started by someone else in this browser, or not started here
    target = _safe_next(request, request.session.pop(NEXT, None))
    try:
        verified = services.identity_confirm(
            user=request.user, facts=services.Facts.from_session(pending)
        )
    except ValidationError as exc:
        return _refused(request, list(exc.messages), status=400)
    messages.success(request, IDENTIFIED_STRONG)
    request.session["suomifi_signed_in"] = True
    code = verified.municipality_code
    if code and code != settings.KOUVOLA_MUNICIPALITY_CODE:
        messages.warning(request, NOT_KOUVOLA_MUNICIPALITY % {"code": code})
    return redirect(target)


class SuomifiLogoutView(saml_views.LogoutInitView):
    """Single logout: OmaKouvola's session ends and Suomi.fi is asked to end its own."""

    def get(self, request, *args, **kwargs):
        if saml_views._get_subject_id(request.saml_session) is None:
            auth.logout(request)
            return redirect("home")
        return super().get(request, *args, **kwargs)


class SuomifiLogoutServiceView(saml_views.LogoutView):
    """Suomi.fi's answer to (or request for) single logout: back to the front page."""

    def do_logout_service(self, request, data, binding, *args, **kwargs):
        if not saml.is_configured():
            raise Http404
        try:
            response = super().do_logout_service(request, data, binding, *args, **kwargs)
        except UNREADABLE_SAML as exc:
            # A forged or truncated message in the URL or the form: a page, not a 500.
            logger.info("Suomi.fi logout message refused: %s", type(exc).__name__)
            return _refused(request, [str(LOGOUT_UNREADABLE)], status=400)
        if response.status_code == 200 and not request.user.is_authenticated:
            messages.info(request, LOGGED_OUT)
            return redirect("home")
        return response


class MpassidLoginView(LoginRequiredMixin, oidc_views.OIDCAuthenticationRequestView):
    def get(self, request):
        if not oidc.is_configured():
            return _refused(request, [str(NOT_CONFIGURED)], status=404)
        request.session[NEXT] = _safe_next(request, request.GET.get("next"))
        return super().get(request)


class MpassidCallbackView(oidc_views.OIDCAuthenticationCallbackView):
    """Bad state, nonce or token: a clear page, the account unchanged and still signed in."""

    def get(self, request):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        if request.GET.get("error"):
            return _refused(request, [str(MPASSID_REFUSED)], status=400)
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException) as exc:
            # A forged state, a bad token, or the provider out of reach: nothing changes.
            logger.info("MPASSid answer refused: %s", exc)
            return _refused(request, [str(MPASSID_REFUSED)], status=400)

    def login_success(self):
        messages.success(self.request, IDENTIFIED_SCHOOL)
        return redirect(_safe_next(self.request, self.request.session.pop(NEXT, None)))

    def login_failure(self):
        problems = self.request.session.pop(oidc.SESSION_ERROR, None) or [str(MPASSID_REFUSED)]
        return _refused(self.request, problems, status=400)

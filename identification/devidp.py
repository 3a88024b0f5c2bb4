"""The local test identity service: a SAML identity provider and an OpenID Connect
provider that identify whoever the visitor picks from a list of fake people.

It is a real protocol peer (pysaml2 signs and encrypts real assertions with keys made on
first use; PyJWT signs real ID tokens), so `make run` and the test suite exercise the same
SP and RP code as Suomi.fi and MPASSid do. Its views answer only with
IDENTIFICATION_DEV_IDP (local settings); production.py refuses that setting.
"""

from __future__ import annotations

import base64
import functools
import secrets
import time
from urllib.parse import urlencode

import jwt
import saml2
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_TRANSIENT
from saml2.server import Server

from . import keys, people, saml

# Suomi.fi's level of assurance "substantial" (bank credentials, mobile certificate).
LOA_SUBSTANTIAL = "http://ftn.ficora.fi/2017/loa2"
OIDC_CODE_SECONDS = 120
OIDC_TOKEN_SECONDS = 300


def _require_enabled() -> None:
    if not settings.IDENTIFICATION_DEV_IDP:
        raise Http404


def _key_pair(name: str, common_name: str) -> keys.KeyPair:
    return keys.key_pair(settings.IDENTIFICATION_KEY_DIR, name, common_name)


def idp_entity_id() -> str:
    return saml.site_url() + reverse("identification:test_saml_metadata")


def idp_settings(*, with_sp: bool = True) -> dict:
    pair = _key_pair("test-idp", "OmaKouvola TEST identity service")
    base = saml.site_url()
    sso = base + reverse("identification:test_saml_sso")
    slo = base + reverse("identification:test_saml_slo")
    config = {
        "entityid": idp_entity_id(),
        "xmlsec_binary": saml.XMLSEC,
        "attribute_map_dir": saml.ATTRIBUTE_MAPS,
        "accepted_time_diff": 30,
        "service": {
            "idp": {
                "name": "OmaKouvola TEST identity service",
                "endpoints": {
                    "single_sign_on_service": [
                        (sso, saml2.BINDING_HTTP_REDIRECT),
                    ],
                    "single_logout_service": [
                        (slo, saml2.BINDING_HTTP_REDIRECT),
                    ],
                },
                "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                "policy": {
                    "default": {
                        "lifetime": {"minutes": 5},
                        "attribute_restrictions": None,
                        "name_form": NAME_FORMAT_URI,
                    },
                },
            },
        },
        "key_file": pair.key_file,
        "cert_file": pair.cert_file,
    }
    if with_sp:
        config["metadata"] = {"inline": [saml.sp_metadata_xml()]}
    return config


def idp_metadata_xml() -> str:
    conf = IdPConfig()
    conf.load(idp_settings(with_sp=False))
    return str(entity_descriptor(conf))


def idp_server() -> Server:
    conf = IdPConfig()
    conf.load(idp_settings())
    return Server(config=conf)


def authn_response(
    saml_request: str,
    person: people.TestPerson,
    *,
    sign: bool = True,
    encrypt: bool = True,
    attributes: dict[str, list[str]] | None = None,
) -> tuple[str, str]:
    """(ACS URL, base64 SAMLResponse) answering a redirect-binding AuthnRequest.

    The tests use `sign`, `encrypt` and `attributes` to make the bad answers an SP must
    refuse; the test service itself always signs and encrypts, as Suomi.fi does.
    """
    server = idp_server()
    request = server.parse_authn_request(saml_request, saml2.BINDING_HTTP_REDIRECT)
    args = server.response_args(request.message, [saml2.BINDING_HTTP_POST])
    response = server.create_authn_response(
        identity=attributes if attributes is not None else person.saml_attributes(),
        userid=f"test-{person.key}",
        authn={"class_ref": LOA_SUBSTANTIAL, "authn_auth": idp_entity_id()},
        sign_assertion=sign,
        sign_response=False,
        encrypt_assertion=encrypt,
        encrypt_cert_assertion=None,
        **args,
    )
    return args["destination"], base64.b64encode(str(response).encode()).decode()


def saml_metadata(request: HttpRequest) -> HttpResponse:
    _require_enabled()
    return HttpResponse(idp_metadata_xml(), content_type="text/xml; charset=utf-8")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def saml_sso(request: HttpRequest) -> HttpResponse:
    """Pick a test person; the answer goes back to the SP in a signed, encrypted assertion.

    csrf_exempt: the form carries the SP's signed AuthnRequest, which is what binds it.
    """
    _require_enabled()
    data = request.POST if request.method == "POST" else request.GET
    saml_request = data.get("SAMLRequest", "")
    relay_state = data.get("RelayState", "")
    if not saml_request:
        return render(request, "identification/test_service_error.html", status=400)
    person = people.BY_KEY.get(request.POST.get("person", ""))
    if request.method == "POST" and person is not None:
        destination, response = authn_response(saml_request, person)
        return render(
            request,
            "identification/test_service_post.html",
            {"destination": destination, "saml_response": response, "relay_state": relay_state},
        )
    return render(
        request,
        "identification/test_service_saml.html",
        {"people": people.PEOPLE, "saml_request": saml_request, "relay_state": relay_state},
    )


def saml_slo(request: HttpRequest) -> HttpResponse:
    """Single logout: the test service has no session of its own to end, so it confirms."""
    _require_enabled()
    server = idp_server()
    if "SAMLRequest" not in request.GET:
        return render(request, "identification/test_service_error.html", status=400)
    logout = server.parse_logout_request(request.GET["SAMLRequest"], saml2.BINDING_HTTP_REDIRECT)
    response = server.create_logout_response(logout.message, [saml2.BINDING_HTTP_REDIRECT])
    destination = server.metadata.single_logout_service(
        logout.message.issuer.text, saml2.BINDING_HTTP_REDIRECT, "spsso"
    )[0]["location"]
    info = server.apply_binding(
        saml2.BINDING_HTTP_REDIRECT,
        str(response),
        destination,
        request.GET.get("RelayState", ""),
        response=True,
        sign=True,
    )
    return redirect(dict(info["headers"])["Location"])


# ---------------------------------------------------------------------------------------
# OpenID Connect (the MPASSid stand-in)
# ---------------------------------------------------------------------------------------


def oidc_issuer() -> str:
    return saml.site_url() + "/identification/test-service/oidc"


@functools.cache
def _private_key(path: str):
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    with open(path, "rb") as handle:
        return load_pem_private_key(handle.read(), password=None)


def _oidc_key():
    pair = _key_pair("test-oidc", "OmaKouvola TEST school accounts")
    return _private_key(pair.key_file), "test-oidc-" + pair.cert_body()[-16:]


def id_token(
    claims: dict,
    *,
    nonce: str,
    audience: str,
    lifetime: int = OIDC_TOKEN_SECONDS,
    key=None,
    kid: str | None = None,
) -> str:
    """A signed ID token; the tests pass another key, audience or lifetime to make bad ones."""
    own_key, own_kid = _oidc_key()
    now = int(time.time())
    payload = {
        **claims,
        "iss": oidc_issuer(),
        "aud": audience,
        "iat": now,
        "exp": now + lifetime,
        "nonce": nonce,
    }
    return jwt.encode(payload, key or own_key, algorithm="RS256", headers={"kid": kid or own_kid})


@require_http_methods(["GET", "POST"])
def oidc_authorize(request: HttpRequest) -> HttpResponse:
    _require_enabled()
    data = request.POST if request.method == "POST" else request.GET
    redirect_uri = data.get("redirect_uri", "")
    expected = saml.site_url() + reverse("identification:mpassid_callback")
    if data.get("client_id") != settings.OIDC_RP_CLIENT_ID or redirect_uri != expected:
        return render(request, "identification/test_service_error.html", status=400)
    pupil = people.PUPILS_BY_KEY.get(request.POST.get("pupil", ""))
    if request.method == "POST" and pupil is not None:
        code = secrets.token_urlsafe(24)
        cache.set(
            f"test-oidc:code:{code}",
            {"pupil": pupil.key, "nonce": data.get("nonce", ""), "redirect_uri": redirect_uri},
            OIDC_CODE_SECONDS,
        )
        query = urlencode({"code": code, "state": data.get("state", "")})
        return redirect(f"{redirect_uri}?{query}")
    fields = {k: data.get(k, "") for k in ("client_id", "redirect_uri", "state", "nonce", "scope")}
    context = {"pupils": people.PUPILS, "fields": fields}
    return render(request, "identification/test_service_oidc.html", context)


@csrf_exempt
@require_http_methods(["POST"])
def oidc_token(request: HttpRequest) -> HttpResponse:
    """The back channel: a code is good once, for the client it was issued to."""
    _require_enabled()
    if request.POST.get("client_id") != settings.OIDC_RP_CLIENT_ID or not secrets.compare_digest(
        request.POST.get("client_secret", ""), settings.OIDC_RP_CLIENT_SECRET
    ):
        return JsonResponse({"error": "invalid_client"}, status=401)
    grant = cache.get(f"test-oidc:code:{request.POST.get('code', '')}")
    cache.delete(f"test-oidc:code:{request.POST.get('code', '')}")
    if grant is None or grant["redirect_uri"] != request.POST.get("redirect_uri"):
        return JsonResponse({"error": "invalid_grant"}, status=400)
    claims = people.PUPILS_BY_KEY[grant["pupil"]].claims()
    access_token = secrets.token_urlsafe(24)
    cache.set(f"test-oidc:token:{access_token}", claims, OIDC_TOKEN_SECONDS)
    return JsonResponse(
        {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": OIDC_TOKEN_SECONDS,
            "id_token": id_token(claims, nonce=grant["nonce"], audience=settings.OIDC_RP_CLIENT_ID),
        }
    )


def oidc_userinfo(request: HttpRequest) -> HttpResponse:
    _require_enabled()
    token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    claims = cache.get(f"test-oidc:token:{token}") if token else None
    if claims is None:
        return JsonResponse({"error": "invalid_token"}, status=401)
    return JsonResponse(claims)


def oidc_jwks(request: HttpRequest) -> HttpResponse:
    _require_enabled()
    key, kid = _oidc_key()
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    return JsonResponse({"keys": [{**jwk, "kid": kid, "alg": "RS256", "use": "sig"}]})

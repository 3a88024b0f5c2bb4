"""The Suomi.fi SAML 2.0 service provider's configuration, built from settings.

djangosaml2 calls `sp_config(request)` (SAML_CONFIG_LOADER) for every SAML view, so a test
or the local test identity service can change the settings at run time. Suomi.fi signs
and encrypts its assertions; this SP signs its requests, accepts only signed assertions,
only encrypted ones (`require_encryption`) and only answers to its own requests.
"""

from __future__ import annotations

from pathlib import Path

import saml2
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from saml2.config import SPConfig
from saml2.saml import NAMEID_FORMAT_TRANSIENT

from . import keys

ATTRIBUTE_MAPS = str(Path(__file__).resolve().parent / "attributemaps")
XMLSEC = "/usr/bin/xmlsec1"

# What is asked for, and why (docs/identification.md): the code becomes the keyed identity
# hash and the birth year; the municipality and postal code decide residency and area.
REQUIRED_ATTRIBUTES = [
    "nationalIdentificationNumber",
    "KotikuntaKuntanumero",
    "VakinainenKotimainenLahiosoitePostinumero",
]
OPTIONAL_ATTRIBUTES = ["givenName"]

NOT_CONFIGURED = (
    "Suomi.fi identification is not configured: set SUOMIFI_IDP_METADATA and the SP key "
    "files (docs/identification.md), or IDENTIFICATION_DEV_IDP in local settings."
)


def site_url() -> str:
    return settings.OMAKOUVOLA_SITE_URL.rstrip("/")


def sp_entity_id() -> str:
    return settings.SUOMIFI_SP_ENTITY_ID or site_url() + reverse("identification:saml_metadata")


def is_configured() -> bool:
    return bool(settings.SUOMIFI_IDP_METADATA or settings.IDENTIFICATION_DEV_IDP)


def sp_keys() -> tuple[keys.KeyPair, keys.KeyPair]:
    """(signing, encryption) key pairs: from settings, or generated for the test service."""
    if settings.SUOMIFI_SP_KEY_FILE and settings.SUOMIFI_SP_CERT_FILE:
        signing = keys.KeyPair(settings.SUOMIFI_SP_KEY_FILE, settings.SUOMIFI_SP_CERT_FILE)
        encryption = signing
        if settings.SUOMIFI_SP_ENCRYPTION_KEY_FILE and settings.SUOMIFI_SP_ENCRYPTION_CERT_FILE:
            encryption = keys.KeyPair(
                settings.SUOMIFI_SP_ENCRYPTION_KEY_FILE, settings.SUOMIFI_SP_ENCRYPTION_CERT_FILE
            )
        return signing, encryption
    if not settings.IDENTIFICATION_DEV_IDP:
        raise ImproperlyConfigured(NOT_CONFIGURED)
    folder = settings.IDENTIFICATION_KEY_DIR
    return (
        keys.key_pair(folder, "sp-signing", "OmaKouvola development SP"),
        keys.key_pair(folder, "sp-encryption", "OmaKouvola development SP encryption"),
    )


def idp_metadata() -> dict:
    source = settings.SUOMIFI_IDP_METADATA
    if source.startswith("https://"):
        return {"remote": [{"url": source}]}
    if source:
        return {"local": [source]}
    if settings.IDENTIFICATION_DEV_IDP:
        from .devidp import idp_metadata_xml

        return {"inline": [idp_metadata_xml()]}
    raise ImproperlyConfigured(NOT_CONFIGURED)


def sp_settings(*, with_idp: bool = True) -> dict:
    signing, encryption = sp_keys()
    base = site_url()
    config = {
        "entityid": sp_entity_id(),
        "xmlsec_binary": XMLSEC,
        "attribute_map_dir": ATTRIBUTE_MAPS,
        "allow_unknown_attributes": False,
        "accepted_time_diff": 30,
        "service": {
            "sp": {
                "name": "OmaKouvola",
                "name_id_format": NAMEID_FORMAT_TRANSIENT,
                "endpoints": {
                    "assertion_consumer_service": [
                        (base + reverse("identification:saml_acs"), saml2.BINDING_HTTP_POST),
                    ],
                    "single_logout_service": [
                        (base + reverse("identification:saml_ls"), saml2.BINDING_HTTP_REDIRECT),
                        (base + reverse("identification:saml_ls_post"), saml2.BINDING_HTTP_POST),
                    ],
                },
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "logout_responses_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "want_assertions_or_response_signed": True,
                "only_use_keys_in_metadata": True,
                "allow_unsolicited": False,
                "required_attributes": REQUIRED_ATTRIBUTES,
                "optional_attributes": OPTIONAL_ATTRIBUTES,
            },
        },
        "key_file": signing.key_file,
        "cert_file": signing.cert_file,
        "encryption_keypairs": [
            {"key_file": encryption.key_file, "cert_file": encryption.cert_file}
        ],
        "organization": {
            "name": [
                ("Kouvolan kaupunki", "fi"),
                ("Kouvola stad", "sv"),
                ("City of Kouvola", "en"),
            ],
            "display_name": [("OmaKouvola", "fi"), ("OmaKouvola", "sv"), ("OmaKouvola", "en")],
            "url": [(base, "fi")],
        },
        "contact_person": [
            {"contact_type": "technical", "email_address": settings.SUOMIFI_TECHNICAL_CONTACT},
        ],
    }
    if with_idp:
        config["metadata"] = idp_metadata()
    return config


def sp_config(request=None) -> SPConfig:
    conf = SPConfig()
    conf.load(sp_settings())
    return conf


def sp_metadata_xml() -> str:
    """The SP's metadata (without the IdP's, so the test service can read it first)."""
    from saml2.metadata import entity_descriptor

    conf = SPConfig()
    conf.load(sp_settings(with_idp=False))
    return str(entity_descriptor(conf))

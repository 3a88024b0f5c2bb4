"""Suomi.fi e-Identification attribute names (urn:oid URIs) and the short names used here.

pysaml2 reads MAP from this folder (the `attribute_map_dir` of both the SP and the local
test identity service). Only what eligibility needs is requested: docs/identification.md.
"""

MAP = {
    "identifier": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
    "fro": {
        "urn:oid:1.2.246.21": "nationalIdentificationNumber",
        "urn:oid:2.5.4.42": "givenName",
        "urn:oid:2.5.4.4": "sn",
        "urn:oid:1.2.246.517.2002.2.18": "KotikuntaKuntanumero",
        "urn:oid:1.2.246.517.2002.2.6": "VakinainenKotimainenLahiosoitePostinumero",
    },
    "to": {
        "nationalIdentificationNumber": "urn:oid:1.2.246.21",
        "givenName": "urn:oid:2.5.4.42",
        "sn": "urn:oid:2.5.4.4",
        "KotikuntaKuntanumero": "urn:oid:1.2.246.517.2002.2.18",
        "VakinainenKotimainenLahiosoitePostinumero": "urn:oid:1.2.246.517.2002.2.6",
    },
}

"""The people of the local test identity service: fake identities for the demo accounts.

The personal identity codes are made up but valid (date, century sign, check character),
so they pass the same checks as real ones. They exist only in the test service.
"""

from __future__ import annotations

from dataclasses import dataclass

_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def fake_hetu(day: int, month: int, year: int, individual: int) -> str:
    """A personal identity code with a correct check character."""
    century = {1800: "+", 1900: "-", 2000: "A"}[year // 100 * 100]
    digits = f"{day:02d}{month:02d}{year % 100:02d}"
    return f"{digits}{century}{individual:03d}{_CHECK[int(digits + f'{individual:03d}') % 31]}"


@dataclass(frozen=True)
class TestPerson:
    key: str
    given_name: str
    surname: str
    hetu: str
    municipality_code: str
    municipality: str
    postal_code: str
    account: str  # the demo account this identity belongs to ("" if none)

    def saml_attributes(self) -> dict[str, list[str]]:
        return {
            "nationalIdentificationNumber": [self.hetu],
            "givenName": [self.given_name],
            "sn": [self.surname],
            "KotikuntaKuntanumero": [self.municipality_code],
            "VakinainenKotimainenLahiosoitePostinumero": [self.postal_code],
        }


@dataclass(frozen=True)
class TestPupil:
    key: str
    given_name: str
    surname: str
    learner_id: str
    school_code: str
    school_name: str
    class_level: int
    account: str

    def claims(self) -> dict[str, str]:
        return {
            "sub": f"mpassid-test-{self.learner_id}",
            "given_name": self.given_name,
            "family_name": self.surname,
            "urn:mpass.id:schoolCode": self.school_code,
            "urn:mpass.id:schoolInfo": f"{self.school_code};{self.school_name}",
            "urn:mpass.id:classLevel": str(self.class_level),
            "urn:mpass.id:role": "Oppilas",
        }


PEOPLE = [
    TestPerson(
        "aili",
        "Aili",
        "Asukas",
        fake_hetu(12, 3, 1994, 246),
        "286",
        "Kouvola",
        "45720",
        "asukas@omakouvola.test",
    ),
    TestPerson(
        "paavo",
        "Paavo",
        "Puheenjohtaja",
        fake_hetu(4, 11, 1958, 315),
        "286",
        "Kouvola",
        "45360",
        "puheenjohtaja@omakouvola.test",
    ),
    TestPerson(
        "niko",
        "Niko",
        "Nuori",
        fake_hetu(15, 6, 2011, 527),
        "286",
        "Kouvola",
        "47200",
        "nuori@omakouvola.test",
    ),
    TestPerson(
        "laura",
        "Laura",
        "Lahtelainen",
        fake_hetu(28, 2, 1988, 482),
        "398",
        "Lahti",
        "15100",
        "",
    ),
]

PUPILS = [
    TestPupil(
        "niko",
        "Niko",
        "Nuori",
        "1.2.246.562.24.10000000001",
        "03810",
        "Kouvolan Yhteiskoulu",
        9,
        "nuori@omakouvola.test",
    ),
    TestPupil(
        "ella",
        "Ella",
        "Esikoululainen",
        "1.2.246.562.24.10000000002",
        "03811",
        "Kuusankosken koulu",
        3,
        "",
    ),
]

BY_KEY = {person.key: person for person in PEOPLE}
PUPILS_BY_KEY = {pupil.key: pupil for pupil in PUPILS}

"""A committee's name on a Swedish page is Swedish: no Finnish genitive ("Elimäki-Korian")."""

from __future__ import annotations

import pytest

from omakouvola.models import Area

from .factories import CommitteeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("fi", "Elimäki-Korian aluetoimikunta"),
        ("sv", "Områdeskommittén i Elimä-Koria"),
        ("en", "Elimäki-Korian aluetoimikunta"),
    ],
)
def test_the_committee_page_names_the_committee_in_the_page_language(client, language, name):
    area = Area.objects.create(
        slug="elimaki-koria", name="Elimäki-Koria", name_sv="Elimä-Koria", population=7342
    )
    CommitteeFactory(area=area, name="Elimäki-Korian aluetoimikunta")
    body = client.get(f"/{language}/committees/elimaki-koria/").content.decode()
    assert f"<h1>{name}</h1>" in body
    listing = client.get(f"/{language}/committees/").content.decode()
    assert name in listing
    if language == "sv":
        assert "Korian aluetoimikunta" not in body.split("<main", 1)[1].split("<section", 1)[0]

"""Fixtures for the ideas tests: an expert, ideas in their states, image files."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from omakouvola.models import Role

from ..factories import IdeaFactory, ThemeFactory, UserFactory, helsinki


@pytest.fixture
def during_ideation(time_machine):
    time_machine.move_to(helsinki(2026, 11, 20, 12, 0), tick=False)


@pytest.fixture
def expert(db):
    return UserFactory(email="anna@kouvola.fi", is_staff=True, roles=[Role.SECTOR_EXPERT])


@pytest.fixture
def other_expert(db):
    return UserFactory(email="olli@kouvola.fi", is_staff=True, roles=[Role.SECTOR_EXPERT])


@pytest.fixture
def theme(db):
    return ThemeFactory(slug="liikunta", name="Liikunta ja ulkoilu", name_en="Sport")


@pytest.fixture
def idea(db, cycle, resident, area, theme):
    return IdeaFactory(
        cycle=cycle,
        submitter=resident,
        area=area,
        theme=theme,
        title="Ulkokuntosali Käpylään",
        consents_to_codevelopment=True,
    )


def image_file(name="kuva.jpg", fmt="JPEG", size=(64, 48), exif=None) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (20, 120, 60))
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.fixture
def jpeg():
    return image_file()

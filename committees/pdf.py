"""HTML templates to PDF with WeasyPrint; called only from Celery tasks, never a request."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(template: str, context: Mapping[str, Any], *, language: str | None = None) -> bytes:
    from weasyprint import HTML

    with translation.override(language or settings.LANGUAGE_CODE):
        html = render_to_string(template, dict(context))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()

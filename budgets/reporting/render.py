"""The report's context turned into HTML for the site and a tagged PDF for the council."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def render_report_html(context: dict[str, Any], *, language: str) -> str:
    """The report's body as HTML, shown inside the site's layout."""
    with translation.override(language):
        return render_to_string("budgets/report/_body.html", {**context, "for_pdf": False})


def render_report_pdf(context: dict[str, Any], *, language: str) -> tuple[bytes, str]:
    """The PDF, tagged for PDF/UA-1; plain tagged PDF if WeasyPrint refuses the variant."""
    # WeasyPrint loads Pango and its fonts: deferred so a web process never pays for it.
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(
            "budgets/report/pdf.html",
            {**context, "for_pdf": True, "media_root": Path(settings.MEDIA_ROOT)},
        )
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    try:
        return document.write_pdf(pdf_variant="pdf/ua-1"), "pdf/ua-1"
    except Exception:  # pragma: no cover - depends on fonts and WeasyPrint's checks
        return document.write_pdf(pdf_tags=True), "tagged"

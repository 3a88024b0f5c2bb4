"""The slips of a voting-code batch as a PDF (WeasyPrint); called only from a Celery task."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import CodeBatch

SLIPS_PER_PAGE = 6  # 2 × 3 on A4: each slip 105 × 99 mm, room for three languages


def render_slips(*, batch: CodeBatch, slips: list[dict], address: str) -> bytes:
    from weasyprint import HTML

    pages = [slips[i : i + SLIPS_PER_PAGE] for i in range(0, len(slips), SLIPS_PER_PAGE)]
    context = {
        "batch": batch,
        "ballot": batch.ballot,
        "pages": pages,
        "address": address,
        "closes": timezone.localtime(batch.ballot.closes_at),
    }
    # The instructions are in all three languages on every slip; the rest in Finnish.
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("voting/pdf/code_slips.html", context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()

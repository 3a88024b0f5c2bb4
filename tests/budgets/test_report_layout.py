"""The annual report on paper: its PDF is turned into text and images with poppler, and
no table cell may wrap an amount or split a word across lines."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.utils import translation

from budgets import services
from budgets.reporting import render_report_html, render_report_pdf, report_context

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed"),
]

NUMBER_CELL = re.compile(r'<td class="num">([^<]+)</td>')
CELL = re.compile(r"<t[hd][^>]*>([^<]*)</t[hd]>")
# Euros and per cents always end in their sign; a line that stops after the cents, or a
# sign standing alone in its column, is an amount the layout cut in two.
CUT_AMOUNT = re.compile(r"\d,\d\d(?! ?[€%])")
LONE_SIGN = re.compile(r"(?:^|\s{2})[€%](?:\s|$)")
LONG_TITLE = "Välituntivälineitä Kuusankosken kouluille"


@pytest.fixture
def report_pdf(projects, coordinator, tmp_path):
    stairs = projects["Kuntoportaat"]
    for n, amount in enumerate(["4000.00", "2345.67", "315.50"]):
        services.expense_record(
            actor=coordinator,
            implementation=stairs,
            paid_on=dt.date(2025, 4, 1 + n),
            amount=Decimal(amount),
            supplier="Kouvolan Rakennus ja Ympäristöpalvelut Oy",
            invoice_reference=f"L-{n}",
        )
    stairs.title = LONG_TITLE
    stairs.save(update_fields=["title"])
    # Finnish, the report's main language, whatever an earlier test left active.
    with translation.override("fi"):
        context = report_context(
            period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31), kind="annual"
        )
    pdf, _variant = render_report_pdf(context, language="fi")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return path, render_report_html(context, language="fi")


def _text(path) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode()
    return out.replace("\u00a0", " ")


def test_no_table_cell_wraps_an_amount(report_pdf):
    """An amount is written whole on one line: "12 000,00 €", never "12 000,00" above "€"."""
    path, body = report_pdf
    lines = _text(path).splitlines()
    amounts = {html.unescape(v).replace("\u00a0", " ").strip() for v in NUMBER_CELL.findall(body)}
    assert "12 000,00 €" in amounts
    cut = [line for line in lines if CUT_AMOUNT.search(line) or LONE_SIGN.search(line)]
    assert not cut, "amounts broken across lines:\n" + "\n".join(cut)


def test_no_word_of_a_table_is_split_across_lines(report_pdf):
    """No line holds a piece of a word ("Välituntiv", "Suunnittel") where the report
    has the whole word."""
    path, body = report_pdf
    cells = " ".join(html.unescape(c) for c in CELL.findall(body))
    long_words = {w for w in re.findall(r"\w+", cells) if len(w) >= 8 and not w.isdigit()}
    known = set(re.findall(r"\w+", html.unescape(body)))
    assert "Välituntivälineitä" in long_words
    pieces = sorted(
        token
        # A chart shortens a long label with an ellipsis on purpose; that is no break.
        for token, ellipsis in set(re.findall(r"(\w+)(…?)", _text(path)))
        if not ellipsis
        and len(token) >= 3
        and token not in known
        and any(w != token and (w.startswith(token) or w.endswith(token)) for w in long_words)
    )
    assert not pieces, f"words broken across lines: {pieces}"


def test_the_pages_render_as_images(report_pdf, tmp_path):
    """pdftoppm reads every page; the images are what a reviewer looks at."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm not installed")
    path, _body = report_pdf
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", str(path), str(tmp_path / "page")],
        check=True,
        timeout=120,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 3
    assert all(p.stat().st_size > 1000 for p in pages)

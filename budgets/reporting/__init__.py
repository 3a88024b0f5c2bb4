"""The figures of the dashboard and the council's report, as sections of tables and charts.

The dashboard shows the money sections for a year as of a date; the report adds ideas,
workshops, the vote, implementation and sustainability for a period. Both are built here
from the same selectors, so the dashboard, the HTML report and the PDF agree.

One module a subject: `blocks` (sections, tables' shared formatters), `money` (the
dashboard's sections, reused by the report), `ideas`, `vote`, `implementation`, `report`
(the summary and the whole report) and `render` (HTML and PDF). Callers keep
`reporting.x`; `budgets.services.report_build` looks `build_report_context` up here at
call time, so a test may replace it on this package.
"""

from .blocks import Block, Section
from .money import OVERSPENT, dashboard_sections, funnel_section, money_sections
from .render import render_report_html, render_report_pdf
from .report import build_report_context, report_context
from .vote import selectors_turnout

__all__ = [
    "OVERSPENT",
    "Block",
    "Section",
    "build_report_context",
    "dashboard_sections",
    "funnel_section",
    "money_sections",
    "render_report_html",
    "render_report_pdf",
    "report_context",
    "selectors_turnout",
]

"""CSV downloads of the open data, and the page that explains them (the Pabulib file of a
published ballot is voting's own `results_pabulib`)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from omakouvola.formatting import spreadsheet_safe

from . import rows, selectors
from .api import ATTRIBUTION, LICENCE, LICENCE_URL
from .conditional import conditional_on_content

# resource name -> (rows of all public records, how a record becomes a row)
RESOURCES: dict[str, tuple[Callable[[], Iterable[Any]], Callable[[Any], dict[str, Any]]]] = {
    "cycles": (selectors.cycles, rows.cycle_row),
    "ideas": (selectors.ideas, rows.idea_row),
    "proposals": (selectors.proposals, rows.proposal_row),
    "ballots": (selectors.ballots, rows.ballot_row),
    "implementations": (selectors.implementations, rows.implementation_row),
    "expenses": (selectors.expenses, rows.expense_row),
}
LABELS = {
    "cycles": _("Participatory budgeting rounds"),
    "ideas": _("Ideas"),
    "proposals": _("Proposals"),
    "ballots": _("Ballots"),
    "implementations": _("Implementation of winners and grants"),
    "expenses": _("Expenses"),
}


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    return "" if value is None else spreadsheet_safe(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


@conditional_on_content
def csv_download(request: HttpRequest, resource: str) -> HttpResponse:
    if resource not in RESOURCES:
        raise Http404
    records, row = RESOURCES[resource]
    writer = csv.writer(_Echo())

    def lines():
        header = None
        for record in records().iterator(chunk_size=500):
            data = row(record)
            if header is None:
                header = list(data)
                yield writer.writerow(header)
            yield writer.writerow([_cell(data[k]) for k in header])

    # Built whole so the ETag covers it; the largest list (ideas) is a few megabytes.
    body = "".join(lines())
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="omakouvola-{resource}.csv"'
    return response


def page(request: HttpRequest) -> HttpResponse:
    published = [b for b in selectors.ballots() if b.results_published_at is not None]
    return render(
        request,
        "opendata/page.html",
        {
            "resources": [(name, LABELS[name]) for name in RESOURCES],
            "published_ballots": published,
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "attribution": ATTRIBUTION,
        },
    )

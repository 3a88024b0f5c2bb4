"""The council's report: the summary, then every section, for a period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from ideas.selectors import idea_statistics
from omakouvola.money import ZERO

from .. import selectors
from ..models import ImplementationStatus, Purpose, Report, ReportKind, SourceKind
from ..tables import Column, Table
from .blocks import Section, _date, _euro
from .ideas import _ideas_section, _workshops_section
from .implementation import _implementation_section
from .money import _area_section, funnel_section, money_sections
from .vote import _vote_section


def _summary(years, as_of, cycles, idea_stats, statuses, implementations, totals) -> Table:
    rows = _pb_money_rows(statuses)
    for year in years:
        status = totals[year].budget
        rows.append(
            [
                _("Area committees %(year)s: allocation") % {"year": year},
                _euro(status.allocation),
            ]
        )
        rows.append(
            [
                _("Area committees %(year)s: used by %(date)s")
                % {"year": year, "date": _date(as_of)},
                _euro(status.paid),
            ]
        )
    for cycle in cycles:
        rows.append(
            [_("Ideas in %(cycle)s") % {"cycle": cycle.name}, str(idea_stats[cycle.pk]["total"])]
        )
    rows.extend(_project_rows(implementations))
    return Table("summary", _("Key figures"), [Column(_("Figure")), Column(_("Value"))], rows)


def _pb_money_rows(statuses) -> list[list[Any]]:
    pb = [s for s in statuses if s.appropriation.purpose == Purpose.PARTICIPATORY_BUDGETING]
    youth = [s for s in statuses if s.appropriation.purpose == Purpose.YOUTH_PB]
    operating = sum(
        (
            sh.amount
            for s in youth
            for sh in s.shares
            if sh.source.kind == SourceKind.OPERATING_FUNDS
        ),
        ZERO,
    )
    return [
        [_("Participatory budgeting: reserved"), _euro(sum((s.amount for s in pb), ZERO))],
        [_("Participatory budgeting: used"), _euro(sum((s.spent for s in pb), ZERO))],
        [
            _("Youth participatory budgeting"),
            _("%(amount)s, of which %(operating)s operating funds")
            % {
                "amount": _euro(sum((s.amount for s in youth), ZERO)),
                "operating": _euro(operating),
            },
        ],
    ]


def _project_rows(implementations) -> list[list[Any]]:
    done = sum(1 for i in implementations if i.status == ImplementationStatus.DONE)
    hours = sum((i.volunteer_hours for i in implementations), ZERO)
    later = [i for i in implementations if i.maintenance_cost_per_year]
    return [
        [_("Projects completed"), f"{done} / {len(implementations)}"],
        [_("Volunteer hours done"), f"{hours.normalize():f}"],
        [_("Projects with later costs"), str(len(later))],
    ]


def build_report_context(report: Report) -> dict[str, Any]:
    with translation.override(report.language):
        return report_context(
            period_start=report.period_start,
            period_end=report.period_end,
            kind=report.kind,
            report=report,
        )


def report_context(
    *, period_start: dt.date, period_end: dt.date, kind: str, report: Report | None = None
) -> dict[str, Any]:
    """Everything the report shows, for the cycles and appropriations of the period's
    years, with money as it stood at the end of the period."""
    years = list(range(period_start.year, period_end.year + 1))
    as_of = period_end
    cycles = selectors.cycles_of_years(years)
    idea_stats = {c.pk: idea_statistics(c) for c in cycles}
    money, facts = money_sections(years, as_of)
    implementations = selectors.implementations_of_years(years, as_of)
    implementation, sustainability = _implementation_section(implementations, as_of)
    summary = Section("summary", _("Summary"))
    summary.add(
        _summary(
            years,
            as_of,
            cycles,
            idea_stats,
            facts["statuses"],
            implementations,
            facts["totals"],
        )
    )
    committees = Section("committees", _("Area committees"))
    for section in money[1:]:
        committees.blocks.extend(section.blocks)
    sections = [
        summary,
        _ideas_section(cycles, idea_stats),
        _workshops_section(cycles),
        _vote_section(cycles),
        implementation,
        committees,
        money[0],
        _area_section(implementations, facts["committees"]),
        funnel_section(cycles, idea_stats, as_of),
        sustainability,
    ]
    return {
        "report": report,
        "title": _title(kind, period_start, period_end),
        "period_start": period_start,
        "period_end": period_end,
        "as_of": as_of,
        "sections": sections,
        "generated": dt.datetime.now(tz=dt.UTC),
    }


def _title(kind: str, period_start: dt.date, period_end: dt.date) -> str:
    if kind == ReportKind.ANNUAL:
        return _("Participatory budgeting and area committees: annual report %(year)s") % {
            "year": period_start.year
        }
    return _("Participatory budgeting and area committees: interim report %(start)s–%(end)s") % {
        "start": _date(period_start),
        "end": _date(period_end),
    }

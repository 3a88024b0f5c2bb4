"""The money sections, shown both on the dashboard and in the report: appropriations,
funding sources, each year's area committees, money by area, overspending and the funnel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ideas.selectors import idea_statistics
from omakouvola.money import ZERO

from .. import selectors
from ..charts import bar_chart, line_chart
from ..models import Purpose, SourceKind
from ..tables import INT, MONEY, Column, Table
from .blocks import Block, Section, _choice, _date, _euro

OVERSPENT = gettext_lazy(
    "Over budget: %(title)s has spent %(spent)s of the %(planned)s planned, %(over)s more."
)


def money_sections(years: list[int], as_of: dt.date) -> tuple[list[Section], dict[str, Any]]:
    """The money section and one section per year's committees, with the figures they
    were built from (`statuses`, `committees`, the years' `totals`) for the sections that
    reuse them: the committees' money is computed once, here."""
    budgets = selectors.committee_budgets(years, as_of)  # once, for every table below
    statuses = selectors.appropriation_status(years, as_of, budgets)
    money = Section("money", _("Money: appropriations, commitments and spending"))
    money.add(_appropriations_table(statuses, as_of), _appropriations_chart(statuses))
    money.add(*_sources_table_and_chart(selectors.money_by_source(statuses)))
    committee_sections = []
    committee_rows: list[selectors.CommitteeYear] = []
    committee_totals: dict[int, selectors.CommitteeYear] = {}
    for year in years:
        rows, total = selectors.committee_money(year, as_of, budgets)
        committee_rows.extend(rows)
        committee_totals[year] = total
        committee_sections.append(_committee_section(year, as_of, rows, total))
    facts = {"statuses": statuses, "committees": committee_rows, "totals": committee_totals}
    return [money, *committee_sections], facts


def _appropriations_table(statuses: list[selectors.AppropriationStatus], as_of: dt.date) -> Table:
    rows = [
        [
            str(s.appropriation.year),
            s.appropriation.name,
            _choice(Purpose, s.appropriation.purpose),
            "; ".join(f"{sh.source.name} {_euro(sh.amount)}" for sh in s.shares),
            s.amount,
            s.committed,
            s.spent,
            s.left,
        ]
        for s in statuses
    ]
    totals = [
        sum((s.amount for s in statuses), ZERO),
        sum((s.committed for s in statuses), ZERO),
        sum((s.spent for s in statuses), ZERO),
        sum((s.left for s in statuses), ZERO),
    ]
    return Table(
        "appropriations",
        _("Appropriations as of %(date)s") % {"date": _date(as_of)},
        [
            Column(_("Year")),
            Column(_("Appropriation")),
            Column(_("Purpose")),
            Column(_("Funding sources")),
            Column(_("Amount"), MONEY),
            Column(_("Committed"), MONEY),
            Column(_("Spent"), MONEY),
            Column(_("Left"), MONEY),
        ],
        rows,
        footer=["", _("Total"), "", "", *totals],
        note=_(
            "Committed: what ballots and committee allocations draw from the appropriation. "
            "Spent: expenses paid for participatory budgeting projects and the committees' "
            "payments on grants. Left: amount less spent."
        ),
    )


def _appropriations_chart(statuses: list[selectors.AppropriationStatus]) -> Any:
    return bar_chart(
        _("Appropriations: amount and spent"),
        [f"{s.appropriation.name} {s.appropriation.year}" for s in statuses],
        [
            (_("Amount"), [s.amount for s in statuses]),
            (_("Spent"), [s.spent for s in statuses]),
        ],
        money=True,
    )


def _sources_table_and_chart(sources: list[selectors.SourceStatus]) -> tuple[Table, Any]:
    table = Table(
        "sources",
        _("Money by funding source"),
        [
            Column(_("Funding source")),
            Column(_("Kind")),
            Column(_("Amount"), MONEY),
            Column(_("Committed"), MONEY),
            Column(_("Spent"), MONEY),
            Column(_("Left"), MONEY),
        ],
        [
            [s.name, _choice(SourceKind, s.kind), s.amount, s.committed, s.spent, s.left]
            for s in sources
        ],
        note=_(
            "Committed and spent money of an appropriation paid by several sources is "
            "shown in proportion to their shares."
        ),
    )
    chart = bar_chart(
        _("Money by funding source"),
        [s.name for s in sources],
        [(_("Amount"), [s.amount for s in sources])],
        money=True,
    )
    return table, chart


def _committee_section(
    year: int,
    as_of: dt.date,
    rows: list[selectors.CommitteeYear],
    total: selectors.CommitteeYear,
) -> Section:
    section = Section(f"committees-{year}", _("Area committees %(year)s") % {"year": year})
    section.add(_committee_table(year, as_of, rows, total), _committee_chart(year, rows))
    by_date = selectors.committee_payments_by_date(year, as_of)
    if by_date:
        section.add(
            Table(
                f"committee-payments-{year}",
                _("Committee money used in %(year)s, by payment date") % {"year": year},
                [
                    Column(_("Date")),
                    Column(_("Paid that day"), MONEY),
                    Column(_("Used by that day"), MONEY),
                ],
                [[_date(day), amount, running] for day, amount, running in by_date],
            ),
            line_chart(
                _("Committee money used in %(year)s") % {"year": year},
                [(_date(day), running) for day, _amount, running in by_date],
            ),
        )
    return section


def _committee_figures(r: selectors.CommitteeYear) -> list[Any]:
    return [
        r.budget.allocation,
        r.budget.granted,
        r.budget.paid,
        r.budget.left,
        r.applications,
        r.grants,
        r.meetings,
    ]


def _committee_table(
    year: int,
    as_of: dt.date,
    rows: list[selectors.CommitteeYear],
    total: selectors.CommitteeYear,
) -> Table:
    return Table(
        f"committees-{year}",
        _("Committee money %(year)s as of %(date)s") % {"year": year, "date": _date(as_of)},
        [
            Column(_("Committee")),
            Column(_("Allocation"), MONEY),
            Column(_("Granted"), MONEY),
            Column(_("Paid"), MONEY),
            Column(_("Left to grant"), MONEY),
            Column(_("Applications"), INT),
            Column(_("Grants"), INT),
            Column(_("Meetings held"), INT),
        ],
        [[r.committee.name if r.committee else "", *_committee_figures(r)] for r in rows],
        footer=[_("All committees"), *_committee_figures(total)],
        note=_("Paid is the money the city reports as used."),
    )


def _committee_chart(year: int, rows: list[selectors.CommitteeYear]) -> Any:
    return bar_chart(
        _("Committee money %(year)s") % {"year": year},
        [r.committee.name if r.committee else "" for r in rows],
        [
            (_("Allocation"), [r.budget.allocation for r in rows]),
            (_("Paid"), [r.budget.paid for r in rows]),
        ],
        money=True,
    )


def _overspent_blocks(implementations) -> list[Block]:
    """A warning for each project that spent more than planned (dashboard and report)."""
    blocks = []
    for i in implementations:
        over = selectors.overspent_by(i)
        if over:
            text = OVERSPENT % {
                "title": i.title,
                "spent": _euro(selectors.spent_of(i)),
                "planned": _euro(i.planned_cost),
                "over": _euro(over),
            }
            blocks.append(Block("text", data=text))
    return blocks


def _area_section(implementations, committees) -> Section:
    rows = selectors.money_by_area(implementations, committees)
    section = Section("areas", _("Money by area"))
    section.add(
        Table(
            "areas",
            _("Money by area"),
            [
                Column(_("Area")),
                Column(_("PB projects, planned"), MONEY),
                Column(_("PB projects, spent"), MONEY),
                Column(_("Committee allocation"), MONEY),
                Column(_("Committee payments"), MONEY),
            ],
            [[r["area"], r["pb_planned"], r["pb_spent"], r["allocation"], r["paid"]] for r in rows],
        ),
        bar_chart(
            _("Money by area"),
            [r["area"] for r in rows],
            [
                (_("PB projects, spent"), [r["pb_spent"] for r in rows]),
                (_("Committee payments"), [r["paid"] for r in rows]),
            ],
            money=True,
        ),
    )
    return section


def funnel_section(cycles, idea_stats, as_of: dt.date) -> Section:
    funnel = selectors.pb_funnel(cycles, idea_stats, as_of)
    section = Section("funnel", _("Participatory budgeting: from ideas to built projects"))
    section.add(
        Table(
            "funnel",
            _("From ideas to built projects"),
            [Column(_("Stage")), Column(_("Number"), INT)],
            [[label, n] for label, n in funnel],
        ),
        bar_chart(
            _("From ideas to built projects"),
            [label for label, _n in funnel],
            [(_("Number"), [n for _label, n in funnel])],
        ),
    )
    return section


def dashboard_sections(year: int, as_of: dt.date) -> list[Section]:
    cycles = selectors.cycles_of_years([year])
    idea_stats = {c.pk: idea_statistics(c) for c in cycles}
    money, facts = money_sections([year], as_of)
    implementations = selectors.implementations_of_years([year], as_of)
    area = _area_section(implementations, facts["committees"])
    area.blocks.extend(_overspent_blocks(implementations))
    return [money[0], area, funnel_section(cycles, idea_stats, as_of), *money[1:]]

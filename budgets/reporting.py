"""The figures of the dashboard and the council's report, as sections of tables and charts.

The dashboard shows the money sections for a year as of a date; the report adds ideas,
workshops, the vote, implementation and sustainability for a period. Both are built here
from the same selectors, so the dashboard, the HTML report and the PDF agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committees.selectors import committee_budget_status
from ideas.models import Channel, IdeaStatus, Rating, RejectReason
from ideas.selectors import idea_statistics, pledge_statistics, workshop_statistics
from omakouvola.money import ZERO
from voting.models import AgeBand, CountingRule
from voting.models import Channel as VoteChannel

from . import selectors
from .charts import bar_chart, line_chart
from .models import ImplementationStatus, Purpose, Report, ReportKind, SourceKind
from .tables import INT, MONEY, PERCENT, Column, Table

OVERSPENT = gettext_lazy(
    "Over budget: %(title)s has spent %(spent)s of the %(planned)s planned, %(over)s more."
)


@dataclass
class Block:
    kind: str  # "table", "projects", "ballot", "text"
    table: Table | None = None
    chart: Any = None
    data: Any = None


@dataclass
class Section:
    id: str
    title: str
    intro: str = ""
    blocks: list[Block] = field(default_factory=list)

    def add(self, table: Table, chart: Any = None) -> None:
        self.blocks.append(Block("table", table=table, chart=chart))

    @property
    def tables(self) -> list[Table]:
        return [b.table for b in self.blocks if b.table is not None]


def _choice(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or _("Not given"))


def _pct(part: int | Decimal, whole: int | Decimal) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1")) if whole else ZERO


# ---------------------------------------------------------------------------------------
# Money sections (dashboard and report)
# ---------------------------------------------------------------------------------------


def money_sections(years: list[int], as_of: dt.date) -> tuple[list[Section], dict[str, Any]]:
    statuses = selectors.appropriation_status(years, as_of)
    money = Section("money", _("Money: appropriations, commitments and spending"))
    rows = []
    for s in statuses:
        rows.append(
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
        )
    totals = [
        sum((s.amount for s in statuses), ZERO),
        sum((s.committed for s in statuses), ZERO),
        sum((s.spent for s in statuses), ZERO),
        sum((s.left for s in statuses), ZERO),
    ]
    appropriations = Table(
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
    money.add(
        appropriations,
        bar_chart(
            _("Appropriations: amount and spent"),
            [f"{s.appropriation.name} {s.appropriation.year}" for s in statuses],
            [
                (_("Amount"), [s.amount for s in statuses]),
                (_("Spent"), [s.spent for s in statuses]),
            ],
            money=True,
        ),
    )
    sources = selectors.money_by_source(statuses)
    money.add(
        Table(
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
        ),
        bar_chart(
            _("Money by funding source"),
            [s.name for s in sources],
            [(_("Amount"), [s.amount for s in sources])],
            money=True,
        ),
    )
    committee_sections = []
    committee_rows: list[selectors.CommitteeYear] = []
    for year in years:
        rows_, total = selectors.committee_money(year, as_of)
        committee_rows.extend(rows_)
        section = Section(f"committees-{year}", _("Area committees %(year)s") % {"year": year})
        section.add(
            Table(
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
                [
                    [
                        r.committee.name if r.committee else "",
                        r.budget.allocation,
                        r.budget.granted,
                        r.budget.paid,
                        r.budget.left,
                        r.applications,
                        r.grants,
                        r.meetings,
                    ]
                    for r in rows_
                ],
                footer=[
                    _("All committees"),
                    total.budget.allocation,
                    total.budget.granted,
                    total.budget.paid,
                    total.budget.left,
                    total.applications,
                    total.grants,
                    total.meetings,
                ],
                note=_("Paid is the money the city reports as used."),
            ),
            bar_chart(
                _("Committee money %(year)s") % {"year": year},
                [r.committee.name if r.committee else "" for r in rows_],
                [
                    (_("Allocation"), [r.budget.allocation for r in rows_]),
                    (_("Paid"), [r.budget.paid for r in rows_]),
                ],
                money=True,
            ),
        )
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
        committee_sections.append(section)
    facts = {"statuses": statuses, "committees": committee_rows}
    return [money, *committee_sections], facts


def _date(day: dt.date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def _euro(amount: Decimal) -> str:
    from omakouvola.formatting import format_euros

    return format_euros(amount)


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


# ---------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------


def _counts_table(key: str, title: str, label: str, counts: dict, names=None) -> Table:
    total = sum(counts.values())
    rows = [
        [names(k) if names else (k or _("Not given")), n, _pct(n, total)]
        for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    ]
    return Table(
        key,
        title,
        [Column(label), Column(_("Number"), INT), Column(_("Share (%)"), PERCENT)],
        rows,
        footer=[_("Total"), total, Decimal("100.0") if total else ZERO],
    )


def _ideas_section(cycles, idea_stats) -> Section:
    section = Section("ideas", _("Ideas"))
    for cycle in cycles:
        stats = idea_stats[cycle.pk]
        suffix = f"-{cycle.pk}"
        section.blocks.append(
            Block(
                "text",
                data=_("%(cycle)s: %(n)s ideas received.")
                % {"cycle": cycle.name, "n": stats["total"]},
            )
        )
        by_area = _counts_table(
            "ideas-area" + suffix,
            _("Ideas by area: %(cycle)s") % {"cycle": cycle.name},
            _("Area"),
            {k or _("Whole city"): n for k, n in stats["by_area"].items()},
        )
        section.add(
            by_area,
            bar_chart(
                by_area.title,
                [r[0] for r in by_area.rows],
                [(_("Ideas"), [r[1] for r in by_area.rows])],
            ),
        )
        section.add(
            _counts_table(
                "ideas-theme" + suffix,
                _("Ideas by theme: %(cycle)s") % {"cycle": cycle.name},
                _("Theme"),
                stats["by_theme"],
            )
        )
        section.add(
            _counts_table(
                "ideas-channel" + suffix,
                _("Ideas by channel: %(cycle)s") % {"cycle": cycle.name},
                _("Channel"),
                stats["by_channel"],
                names=lambda v: _choice(Channel, v),
            )
        )
        section.add(
            _counts_table(
                "ideas-age" + suffix,
                _("Ideas by the submitter's age: %(cycle)s") % {"cycle": cycle.name},
                _("Age"),
                {k: n for k, n in selectors.idea_age_bands(cycle).items() if n},
                names=lambda v: _choice(AgeBand, v),
            )
        )
        section.add(
            _counts_table(
                "screening" + suffix,
                _("Screening outcomes: %(cycle)s") % {"cycle": cycle.name},
                _("Outcome"),
                stats["by_status"],
                names=lambda v: _choice(IdeaStatus, v),
            )
        )
        if stats["by_reject_reason"]:
            section.add(
                _counts_table(
                    "reject-reasons" + suffix,
                    _("Reasons for not taking ideas forward: %(cycle)s") % {"cycle": cycle.name},
                    _("Reason"),
                    stats["by_reject_reason"],
                    names=lambda v: _choice(RejectReason, v),
                )
            )
        if stats["transferred_to"]:
            section.add(
                _counts_table(
                    "transfers" + suffix,
                    _("Ideas transferred to other bodies: %(cycle)s") % {"cycle": cycle.name},
                    _("Transferred to"),
                    stats["transferred_to"],
                )
            )
    return section


def _workshops_section(cycles) -> Section:
    section = Section("workshops", _("Co-development workshops and volunteering"))
    rows = []
    for cycle in cycles:
        w = workshop_statistics(cycle)
        p = pledge_statistics(cycle)
        rows.append(
            [
                cycle.name,
                w["held"],
                w["registered"],
                w["waiting"],
                w["attended"],
                p["people"],
                p["hours"],
            ]
        )
    section.add(
        Table(
            "workshops",
            _("Workshops and volunteer pledges"),
            [
                Column(_("Cycle")),
                Column(_("Workshops"), INT),
                Column(_("Registrations"), INT),
                Column(_("Waiting list"), INT),
                Column(_("Attended"), INT),
                Column(_("Volunteers pledged"), INT),
                Column(_("Hours pledged"), INT),
            ],
            rows,
        )
    )
    return section


def _vote_section(cycles) -> Section:
    section = Section("vote", _("The vote"))
    for ballot in selectors.ballots_of_cycles(cycles):
        result = getattr(ballot, "result", None)
        decision = getattr(ballot, "decision", None)
        turnout = selectors_turnout(ballot, result)
        winners = {p.pk for p in decision.confirmed.all()} if decision else set()
        proposals = sorted(
            (result.data.get("proposals", []) if result else []),
            key=lambda p: (-int(p.get("votes", 0)), str(p.get("project_id"))),
        )
        titles = dict(ballot.proposals.values_list("pk", "title"))
        results_table = Table(
            f"results-{ballot.pk}",
            _("Results: %(ballot)s") % {"ballot": ballot.name},
            [
                Column(_("Proposal")),
                Column(_("Cost"), MONEY),
                Column(_("Votes"), INT),
                Column(_("Winner")),
            ],
            [
                [
                    titles.get(int(p["project_id"]), p["project_id"]),
                    Decimal(p["cost"]),
                    int(p["votes"]),
                    _("Yes") if int(p["project_id"]) in winners else "",
                ]
                for p in proposals
            ],
        )
        section.blocks.append(
            Block(
                "ballot",
                data={
                    "ballot": ballot,
                    "rule": _choice(CountingRule, ballot.counting_rule),
                    "votes": result.votes_counted if result else 0,
                    "decision": decision,
                    "winners": [p.title for p in decision.confirmed.all()] if decision else [],
                },
            )
        )
        if proposals:
            section.add(
                results_table,
                bar_chart(
                    results_table.title,
                    [r[0] for r in results_table.rows],
                    [(_("Votes"), [r[2] for r in results_table.rows])],
                ),
            )
        for key, title, label, names in (
            ("by_area", _("Turnout by area: %(ballot)s"), _("Area"), None),
            (
                "by_age_band",
                _("Turnout by age: %(ballot)s"),
                _("Age"),
                lambda v: _choice(AgeBand, v),
            ),
            (
                "by_channel",
                _("Turnout by channel: %(ballot)s"),
                _("Channel"),
                lambda v: _choice(VoteChannel, v),
            ),
        ):
            counts = turnout.get(key) or {}
            if counts:
                section.add(
                    _counts_table(
                        f"turnout-{key}-{ballot.pk}",
                        title % {"ballot": ballot.name},
                        label,
                        counts,
                        names=names,
                    )
                )
    return section


def selectors_turnout(ballot, result) -> dict:
    """The turnout as published with the result, else counted from the roll now."""
    if result is not None and result.turnout:
        return result.turnout
    from voting.selectors import ballot_turnout

    return ballot_turnout(ballot)


def _implementation_section(implementations, as_of) -> tuple[Section, Section]:
    section = Section("implementation", _("Implementation"))
    rows = []
    for i in implementations:
        rows.append(
            [
                i.title,
                _("Committee grant") if i.grant_id else _("Participatory budgeting"),
                i.area_label,
                _choice(ImplementationStatus, i.status),
                i.progress,
                i.planned_cost,
                selectors.spent_of(i),
                i.volunteer_hours,
                i.maintenance_cost_per_year,
            ]
        )
    table = Table(
        "implementation",
        _("Projects as of %(date)s") % {"date": _date(as_of)},
        [
            Column(_("Project")),
            Column(_("Kind")),
            Column(_("Area")),
            Column(_("Status")),
            Column(_("Progress (%)"), PERCENT),
            Column(_("Planned"), MONEY),
            Column(_("Spent"), MONEY),
            Column(_("Volunteer hours"), INT),
            Column(_("Later costs per year"), MONEY),
        ],
        rows,
        footer=[
            _("Total"),
            "",
            "",
            "",
            "",
            sum((i.planned_cost for i in implementations), ZERO),
            sum((selectors.spent_of(i) for i in implementations), ZERO),
            sum((i.volunteer_hours for i in implementations), ZERO),
            sum((i.maintenance_cost_per_year for i in implementations), ZERO),
        ],
    )
    section.add(table)
    section.blocks.extend(_overspent_blocks(implementations))
    section.blocks.append(
        Block("projects", data=[i for i in implementations if i.grant_id is None])
    )
    later = [i for i in implementations if i.maintenance_cost_per_year]
    section.add(
        Table(
            "later-costs",
            _("Projects that create later costs"),
            [Column(_("Project")), Column(_("Per year"), MONEY), Column(_("Why"))],
            [[i.title, i.maintenance_cost_per_year, i.maintenance_justification] for i in later],
            note=_("None: no funded project creates later costs for the city.")
            if not later
            else "",
        )
    )

    sustainability = Section("sustainability", _("Sustainability of the funded projects"))
    counts = selectors.sustainability_of_funded(
        [i for i in implementations if i.status != ImplementationStatus.CANCELLED]
    )
    criteria = {"ecological": _("Ecological"), "social": _("Social"), "economic": _("Economic")}
    sustainability.add(
        Table(
            "sustainability",
            _("Funded projects by sustainability assessment"),
            [
                Column(_("Criterion")),
                Column(_choice(Rating, Rating.POSITIVE), INT),
                Column(_choice(Rating, Rating.NEUTRAL), INT),
                Column(_choice(Rating, Rating.NEGATIVE), INT),
                Column(_("Not assessed"), INT),
            ],
            [
                [label, c[Rating.POSITIVE], c[Rating.NEUTRAL], c[Rating.NEGATIVE], c["unrated"]]
                for key, label in criteria.items()
                for c in [counts[key]]
            ],
            note=_(
                "A participatory budgeting project takes the least favourable rating of the "
                "ideas it was formed from."
            ),
        )
    )
    return section, sustainability


def _summary(years, as_of, cycles, idea_stats, statuses, implementations, committees) -> Table:
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
    rows: list[list[Any]] = [
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
    for year in years:
        status = committee_budget_status(None, year, as_of=as_of)
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
    done = sum(1 for i in implementations if i.status == ImplementationStatus.DONE)
    rows.append([_("Projects completed"), f"{done} / {len(implementations)}"])
    hours = sum((i.volunteer_hours for i in implementations), ZERO)
    rows.append([_("Volunteer hours done"), f"{hours.normalize():f}"])
    later = [i for i in implementations if i.maintenance_cost_per_year]
    rows.append([_("Projects with later costs"), str(len(later))])
    return Table("summary", _("Key figures"), [Column(_("Figure")), Column(_("Value"))], rows)


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
            facts["committees"],
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
    if kind == ReportKind.ANNUAL:
        title = _("Participatory budgeting and area committees: annual report %(year)s") % {
            "year": period_start.year
        }
    else:
        title = _(
            "Participatory budgeting and area committees: interim report %(start)s–%(end)s"
        ) % {
            "start": _date(period_start),
            "end": _date(period_end),
        }
    return {
        "report": report,
        "title": title,
        "period_start": period_start,
        "period_end": period_end,
        "as_of": as_of,
        "sections": sections,
        "generated": dt.datetime.now(tz=dt.UTC),
    }


def render_report_html(context: dict[str, Any], *, language: str) -> str:
    """The report's body as HTML, shown inside the site's layout."""
    with translation.override(language):
        return render_to_string("budgets/report/_body.html", {**context, "for_pdf": False})


def render_report_pdf(context: dict[str, Any], *, language: str) -> tuple[bytes, str]:
    """The PDF, tagged for PDF/UA-1; plain tagged PDF if WeasyPrint refuses the variant."""
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

"""The report's sections on implementation, later costs and sustainability."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from ideas.models import Rating
from omakouvola.money import ZERO

from .. import selectors
from ..models import ImplementationStatus
from ..tables import INT, MONEY, PERCENT, Column, Table
from .blocks import Block, Section, _choice, _date
from .money import _overspent_blocks


def _implementation_section(implementations, as_of) -> tuple[Section, Section]:
    section = Section("implementation", _("Implementation"))
    section.add(_projects_table(implementations, as_of))
    section.blocks.extend(_overspent_blocks(implementations))
    section.blocks.append(
        Block("projects", data=[i for i in implementations if i.grant_id is None])
    )
    section.add(_later_costs_table(implementations))
    return section, _sustainability_section(implementations)


def _projects_table(implementations, as_of: dt.date) -> Table:
    rows = [
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
        for i in implementations
    ]
    return Table(
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


def _later_costs_table(implementations) -> Table:
    later = [i for i in implementations if i.maintenance_cost_per_year]
    return Table(
        "later-costs",
        _("Projects that create later costs"),
        [Column(_("Project")), Column(_("Per year"), MONEY), Column(_("Why"))],
        [[i.title, i.maintenance_cost_per_year, i.maintenance_justification] for i in later],
        note=_("None: no funded project creates later costs for the city.") if not later else "",
    )


def _sustainability_section(implementations) -> Section:
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
    return sustainability

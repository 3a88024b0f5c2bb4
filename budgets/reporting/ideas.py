"""The report's sections on ideas and on workshops and volunteering."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ideas.models import Channel, IdeaStatus, RejectReason
from ideas.selectors import pledge_statistics, workshop_statistics
from voting.models import AgeBand

from .. import selectors
from ..charts import bar_chart
from ..tables import INT, Column, Table
from .blocks import Block, Section, _choice, _counts_table


def _ideas_section(cycles, idea_stats) -> Section:
    section = Section("ideas", _("Ideas"))
    for cycle in cycles:
        _add_cycle_ideas(section, cycle, idea_stats[cycle.pk])
    return section


def _add_cycle_ideas(section: Section, cycle, stats: dict) -> None:
    """One cycle's ideas: how many, by area, theme, channel and age, and what became of them."""
    suffix = f"-{cycle.pk}"
    names = {"cycle": cycle.name}
    section.blocks.append(
        Block("text", data=_("%(cycle)s: %(n)s ideas received.") % {**names, "n": stats["total"]})
    )
    by_area = _counts_table(
        "ideas-area" + suffix,
        _("Ideas by area: %(cycle)s") % names,
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
            _("Ideas by theme: %(cycle)s") % names,
            _("Theme"),
            stats["by_theme"],
        )
    )
    section.add(
        _counts_table(
            "ideas-channel" + suffix,
            _("Ideas by channel: %(cycle)s") % names,
            _("Channel"),
            stats["by_channel"],
            names=lambda v: _choice(Channel, v),
        )
    )
    section.add(
        _counts_table(
            "ideas-age" + suffix,
            _("Ideas by the submitter's age: %(cycle)s") % names,
            _("Age"),
            {k: n for k, n in selectors.idea_age_bands(cycle).items() if n},
            names=lambda v: _choice(AgeBand, v),
        )
    )
    _add_outcomes(section, suffix, names, stats)


def _add_outcomes(section: Section, suffix: str, names: dict, stats: dict) -> None:
    """Screening outcomes, the reasons for not going on, and transfers to other bodies."""
    section.add(
        _counts_table(
            "screening" + suffix,
            _("Screening outcomes: %(cycle)s") % names,
            _("Outcome"),
            stats["by_status"],
            names=lambda v: _choice(IdeaStatus, v),
        )
    )
    if stats["by_reject_reason"]:
        section.add(
            _counts_table(
                "reject-reasons" + suffix,
                _("Reasons for not taking ideas forward: %(cycle)s") % names,
                _("Reason"),
                stats["by_reject_reason"],
                names=lambda v: _choice(RejectReason, v),
            )
        )
    if stats["transferred_to"]:
        section.add(
            _counts_table(
                "transfers" + suffix,
                _("Ideas transferred to other bodies: %(cycle)s") % names,
                _("Transferred to"),
                stats["transferred_to"],
            )
        )


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

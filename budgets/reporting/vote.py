"""The report's section on the vote: each ballot's result, decision and turnout."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from voting.models import AgeBand, CountingRule
from voting.models import Channel as VoteChannel
from voting.selectors import ballot_turnout

from .. import selectors
from ..charts import bar_chart
from ..tables import INT, MONEY, Column, Table
from .blocks import Block, Section, _choice, _counts_table


def _vote_section(cycles) -> Section:
    section = Section("vote", _("The vote"))
    for ballot in selectors.ballots_of_cycles(cycles):
        _add_ballot(section, ballot)
    return section


def _add_ballot(section: Section, ballot) -> None:
    result = getattr(ballot, "result", None)
    decision = getattr(ballot, "decision", None)
    winners = {p.pk for p in decision.confirmed.all()} if decision else set()
    proposals = sorted(
        (result.data.get("proposals", []) if result else []),
        key=lambda p: (-int(p.get("votes", 0)), str(p.get("project_id"))),
    )
    results_table = _results_table(ballot, proposals, winners)
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
    _add_turnout(section, ballot, selectors_turnout(ballot, result))


def _results_table(ballot, proposals: list[dict], winners: set[int]) -> Table:
    titles = dict(ballot.proposals.values_list("pk", "title"))
    return Table(
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


def _add_turnout(section: Section, ballot, turnout: dict) -> None:
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


def selectors_turnout(ballot, result) -> dict:
    """The turnout as published with the result, else counted from the roll now."""
    if result is not None and result.turnout:
        return result.turnout
    return ballot_turnout(ballot)

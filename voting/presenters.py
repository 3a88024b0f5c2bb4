"""What the results page shows, shaped from a stored result: rows, reasons, channel counts.

Presentation only (translated texts, euros formatted); the figures come from the counting
(`BallotResult.data`, `BallotResult.turnout`) and are never recomputed here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from omakouvola.formatting import format_euros

from .models import BallotResult, Channel, Proposal

# The width in pixels of the longest bar of the results chart.
BAR_WIDTH = 300


def _left(o: Mapping[str, Any]) -> str:
    return format_euros(Decimal(o["money_left"]))


REASON_TEXTS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "funded_fits": lambda o: _("Funded: it fitted the money left (%(left)s).") % {"left": _left(o)},
    "funded_equal_shares": lambda o: (
        _("Funded by equal shares: each supporter paid at most %(pay)s.")
        % {"pay": format_euros(Decimal(o["max_payment"]))}
    ),
    "funded_free": lambda o: _("Funded: it costs nothing."),
    "funded_completion": lambda o: (
        _("Funded after equal shares: it fitted the money left (%(left)s).") % {"left": _left(o)}
    ),
    "not_funded_exceeds_money_left": lambda o: (
        _("Not funded: it cost more than the money left (%(left)s).") % {"left": _left(o)}
    ),
    "not_funded_supporters_short": lambda o: (
        _("Not funded: its supporters had only %(money)s left between them.")
        % {"money": format_euros(Decimal(o["supporters_money"]))}
    ),
    "not_funded_below_threshold": lambda o: _("Not funded: too few votes."),
    "not_funded_no_votes": lambda o: _("Not funded: no votes."),
}


def result_rows(result: BallotResult, proposals: Mapping[str, Proposal]) -> list[dict[str, Any]]:
    """One row per proposal still on the ballot, most votes first (then by title)."""
    outcomes = result.data["proposals"]
    top = max((o["votes"] for o in outcomes), default=0) or 1
    rows = [
        {
            "proposal": proposals[o["project_id"]],
            "votes": o["votes"],
            "funded": o["funded"],
            "why": REASON_TEXTS[o["reason"]](o),
            "bar": round(BAR_WIDTH * o["votes"] / top),
        }
        for o in outcomes
        if o["project_id"] in proposals
    ]
    return sorted(rows, key=lambda r: (-r["votes"], r["proposal"].title))


def votes_by_channel(result: BallotResult) -> list[tuple[str, int]]:
    """The turnout by channel with the channels' names (an unknown key shown as it is)."""
    return [
        (Channel(key).label if key in Channel.values else key, count)
        for key, count in result.turnout.get("by_channel", {}).items()
    ]

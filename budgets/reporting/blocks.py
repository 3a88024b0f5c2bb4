"""The pieces every report section is made of, and the small formatters they share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from omakouvola.dates import format_day
from omakouvola.formatting import format_euros
from omakouvola.money import ZERO

from ..tables import INT, PERCENT, Column, Table


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


def _date(day: dt.date) -> str:
    return format_day(day)


def _euro(amount: Decimal) -> str:
    return format_euros(amount)


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

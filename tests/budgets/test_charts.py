"""Chart legends stay inside the drawing, on the dashboard and in the PDF."""

from __future__ import annotations

import re
from decimal import Decimal

from budgets.charts import LEGEND_CHAR_WIDTH, bar_chart

NAMES = [
    "Osallistuvan budjetoinnin hankkeet, suunniteltu",
    "Osallistuvan budjetoinnin hankkeet, käytetty",
    "Toimikunnan maksatukset",
]


def test_a_legend_of_long_names_wraps_inside_the_chart():
    svg = bar_chart(
        "Raha alueittain",
        ["Keskusta", "Valkeala"],
        [(name, [Decimal(21000), Decimal(5)]) for name in NAMES],
        money=True,
    )
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    entries = re.findall(
        r'<text x="([\d.]+)" y="[\d.]+" font-size="12" fill="[^"]+">([^<]+)</text>', svg
    )
    legend = [(float(x), name) for x, name in entries if name in NAMES]
    assert [name for _x, name in legend] == NAMES
    for x, name in legend:
        assert x + LEGEND_CHAR_WIDTH * len(name) <= width, name

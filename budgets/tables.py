"""Tables of figures shown on the dashboard and in the report, and their CSV/XLSX files.

One structure feeds the HTML table, the chart beside it, and the downloads, so the
numbers a council member reads, sees and downloads are the same numbers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from omakouvola.formatting import spreadsheet_safe

TEXT, INT, MONEY, PERCENT = "text", "int", "money", "percent"


@dataclass
class Column:
    label: str
    kind: str = TEXT

    @property
    def is_number(self) -> bool:
        return self.kind != TEXT


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    footer: list[Any] | None = None
    note: str = ""

    def cells(self, row: list[Any]) -> list[tuple[Any, Column]]:
        return list(zip(row, self.columns, strict=True))

    @property
    def body(self) -> list[list[tuple[Any, Column]]]:
        return [self.cells(row) for row in self.rows]

    @property
    def footer_cells(self) -> list[tuple[Any, Column]] | None:
        return self.cells(self.footer) if self.footer is not None else None


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return value
    return value if isinstance(value, int | float) else str(value)


def table_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark and semicolons, which Finnish Excel opens as columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([str(c.label) for c in table.columns])
    for row in [*table.rows, *([table.footer] if table.footer else [])]:
        writer.writerow(
            [
                str(v).replace(".", ",") if isinstance(v, Decimal) else spreadsheet_safe(_plain(v))
                for v in row
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = table.key[:31]
    sheet.append([str(table.title)])
    sheet["A1"].font = Font(bold=True)
    sheet.append([str(c.label) for c in table.columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    formats = {MONEY: '#,##0.00 "€"', PERCENT: "0%", INT: "0"}
    for row in [*table.rows, *([table.footer] if table.footer else [])]:
        sheet.append([_plain(v) for v in row])
        for cell, column in zip(sheet[sheet.max_row], table.columns, strict=True):
            if cell.data_type == "f":  # text that openpyxl took for a formula
                cell.data_type = "s"
            if column.kind in formats and isinstance(cell.value, int | float | Decimal):
                cell.number_format = formats[column.kind]
                if column.kind == PERCENT:
                    cell.value = float(cell.value) / 100
    for index, column in enumerate(table.columns, start=1):
        letter = sheet.cell(row=2, column=index).column_letter
        sheet.column_dimensions[letter].width = 16 if column.is_number else 36
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

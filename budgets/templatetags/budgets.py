from decimal import Decimal

from django import template

from omakouvola.formatting import NBSP, format_euros

register = template.Library()


@register.filter
def cell(value, column):
    """A table cell as the column's kind wants it: euros, whole numbers, percentages."""
    if value is None or value == "":
        return ""
    if column.kind == "money" and isinstance(value, Decimal | int):
        return format_euros(value)
    if column.kind == "percent" and isinstance(value, Decimal | int | float):
        return f"{value}".replace(".", ",") + f"{NBSP}%"
    if column.kind == "int" and isinstance(value, Decimal):
        return f"{value.normalize():f}".replace(".", ",")
    if column.kind == "int" and isinstance(value, int) and value >= 1000:
        return f"{value:,}".replace(",", NBSP)
    return value

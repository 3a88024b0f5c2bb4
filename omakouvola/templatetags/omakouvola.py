from django import template

from omakouvola.formatting import format_euros

register = template.Library()


@register.filter
def euros(amount):
    """{{ amount|euros }} → 93 500,00 € (in the page's language)."""
    return format_euros(amount)

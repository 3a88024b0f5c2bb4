from django import template

from omakouvola.formatting import format_euros

register = template.Library()


@register.filter
def euros(amount):
    """{{ amount|euros }} → 93 500,00 € (in the page's language)."""
    return format_euros(amount)


@register.simple_tag(takes_context=True)
def work_queues(context):
    """{% work_queues as queues %}: what waits for the signed-in person (admin index)."""
    from omakouvola import selectors

    request = context.get("request")
    return selectors.work_queues(request.user, shown=0) if request else []


@register.simple_tag(takes_context=True)
def item_panels(context, kind, obj):
    """{% item_panels "idea" idea %}: the sections upper apps add to this page."""
    from django.utils.safestring import mark_safe

    from omakouvola import panels

    request = context.get("request")
    if request is None:
        return ""
    # Each renderer returns a rendered template, escaped where it shows people's text.
    return mark_safe("".join(panels.render(kind, request, obj)))

from django import template
from django.utils.html import format_html

register = template.Library()

# Text colours on these backgrounds meet WCAG AA contrast.
BADGE_CLASSES = {
    "submitted": "text-bg-light border",
    "in_screening": "text-bg-info",
    "forwarded": "text-bg-primary",
    "rejected": "text-bg-secondary",
    "duplicate": "text-bg-secondary",
    "transferred": "text-bg-warning",
    "merged": "text-bg-success",
    "withdrawn": "text-bg-dark",
    "draft": "text-bg-light border",
    "approved": "text-bg-primary",
    "selected": "text-bg-success",
    "not_selected": "text-bg-secondary",
}


@register.simple_tag
def status_badge(obj):
    """<span class="badge …">Status</span> for an idea or a proposal."""
    return format_html(
        '<span class="badge {}">{}</span>',
        BADGE_CLASSES.get(obj.status, "text-bg-secondary"),
        obj.get_status_display(),
    )

"""Django admin strings that Django's own Finnish and Swedish catalogues still lack.

Django 5.2's app list has visually hidden column headers that a screen reader reads
aloud; their msgids are listed here so `make catalogues` extracts them into the project's
catalogues, which take precedence over Django's. Nothing imports this module.
"""

from django.utils.translation import gettext_noop

ADMIN_APP_LIST_HEADERS = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
)

"""Who may do what with budgets (django-rules predicates, composed once)."""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from omakouvola.rules import (
    add_perm,
    is_city_team,
    is_coordinator,
    is_council,
    is_decision_maker,
    is_lead_staff,
    is_sector_expert,
    is_staff_member,
)


@rules.predicate
def report_is_published(user, report) -> bool:
    return report is not None and report.is_published and report.is_ready


@rules.predicate
def report_is_ready(user, report) -> bool:
    return report is not None and report.is_ready


# The council reads every report; the city's staff prepare them.
is_budget_reader = (
    rules.is_superuser | is_coordinator | is_city_team | is_council | is_decision_maker
)
can_view_dashboard = is_budget_reader
can_request_report = is_budget_reader
can_publish_report = is_lead_staff
can_read_report = report_is_ready & (is_budget_reader | report_is_published)

add_perm("budgets.view_dashboard", can_view_dashboard, staff=True)
add_perm("budgets.request_report", can_request_report, staff=True)
add_perm("budgets.publish_report", can_publish_report, staff=True)
add_perm("budgets.read_report", can_read_report)
add_perm("budgets.read_unpublished_report", report_is_ready & is_budget_reader, staff=True)

# Writes in the budget admin: the coordinator keeps the money, the city team the record of
# what was built.
BUDGET_STAFF_ONLY = _("Only the participation coordinator can change the budget.")
TRACKING_STAFF_ONLY = _("Only the city team can change the implementation record.")
is_tracker = is_staff_member
add_perm("budgets.manage_money", can_publish_report, message=BUDGET_STAFF_ONLY, staff=True)
add_perm("budgets.track_implementation", is_tracker, message=TRACKING_STAFF_ONLY, staff=True)
# Sector experts read the implementation record of their field; the city team writes it.
add_perm("budgets.view_implementation", is_tracker | is_sector_expert, staff=True)

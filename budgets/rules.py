"""Who may do what with budgets (django-rules predicates, composed once)."""

from __future__ import annotations

import rules

from omakouvola.rules import is_city_team, is_coordinator, is_council, is_decision_maker


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
can_publish_report = rules.is_superuser | is_coordinator
can_read_report = report_is_ready & (is_budget_reader | report_is_published)

rules.add_perm("budgets.view_dashboard", can_view_dashboard)
rules.add_perm("budgets.request_report", can_request_report)
rules.add_perm("budgets.publish_report", can_publish_report)
rules.add_perm("budgets.read_report", can_read_report)

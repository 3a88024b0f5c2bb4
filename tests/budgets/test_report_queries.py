"""The report's committee money is computed once, in a fixed number of queries: adding
committees adds rows, not queries, and each year's figures are reckoned a single time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from budgets import selectors
from budgets.reporting import report_context
from tests.committees.factories import AllocationFactory, CommitteeFactory

pytestmark = pytest.mark.django_db

START, END = dt.date(2025, 1, 1), dt.date(2026, 6, 30)


def _committees(n: int) -> None:
    for _ in range(n):
        committee = CommitteeFactory()
        for year in (2025, 2026):
            AllocationFactory(committee=committee, year=year, amount=Decimal("1000.00"))


def _report():
    with translation.override("en"):
        return report_context(period_start=START, period_end=END, kind="interim")


def _queries() -> int:
    with CaptureQueriesContext(connection) as captured:
        _report()
    return len(captured.captured_queries)


def test_more_committees_add_no_queries_to_the_report(django_assert_num_queries):
    _committees(1)
    one = _queries()
    _committees(3)
    with django_assert_num_queries(one):
        context = _report()
    committees = next(s for s in context["sections"] if s.id == "committees")
    table = next(t for t in committees.tables if t.key == "committees-2026")
    assert len(table.rows) == 4
    assert table.footer[1] == Decimal("4000.00")


def test_each_years_committee_money_is_computed_once_per_report(monkeypatch):
    _committees(2)
    calls: list[int] = []
    original = selectors.committee_budget_statuses

    def counting(year, as_of):
        calls.append(year)
        return original(year, as_of)

    monkeypatch.setattr(selectors, "committee_budget_statuses", counting)
    _report()
    assert sorted(calls) == [2025, 2026]

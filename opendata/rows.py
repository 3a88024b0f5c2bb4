"""The published fields of each resource, one function a row, shared by JSON and CSV.

Only public facts: no person's name, contact, account or anything that identifies a
voter; ideas show the day they arrived, not the time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from budgets.models import Expense, Implementation
from budgets.selectors import spent_of
from ideas.models import Idea, Proposal
from omakouvola.models import HELSINKI, Cycle
from voting.models import Ballot


def _absolute(path: str) -> str:
    return settings.OMAKOUVOLA_SITE_URL.rstrip("/") + path


def _day(moment: dt.datetime | None) -> dt.date | None:
    return moment.astimezone(HELSINKI).date() if moment else None


def cycle_row(cycle: Cycle) -> dict[str, Any]:
    return {
        "id": cycle.pk,
        "name": cycle.name,
        "year": cycle.year,
        "is_youth": cycle.is_youth,
        "opens_on": cycle.opens_on,
        "ideation_starts_on": cycle.ideation_starts_on,
        "ideation_ends_on": cycle.ideation_ends_on,
        "workshops_starts_on": cycle.workshops_starts_on,
        "workshops_ends_on": cycle.workshops_ends_on,
        "voting_starts_on": cycle.voting_starts_on,
        "voting_ends_on": cycle.voting_ends_on,
        "decision_starts_on": cycle.decision_starts_on,
        "decision_ends_on": cycle.decision_ends_on,
        "implementation_starts_on": cycle.implementation_starts_on,
        "implementation_ends_on": cycle.implementation_ends_on,
    }


def idea_row(idea: Idea) -> dict[str, Any]:
    return {
        "id": idea.pk,
        "cycle_id": idea.cycle_id,
        "title": idea.title,
        "description": idea.description,
        "area": idea.area.slug if idea.area else None,
        "theme": idea.theme.slug if idea.theme else None,
        "address": idea.address,
        "latitude": idea.latitude,
        "longitude": idea.longitude,
        "rough_cost": idea.rough_cost,
        "for_youth": idea.for_youth,
        "channel": idea.channel,
        "status": idea.status,
        "reject_reason": idea.reject_reason,
        "public_reasoning": idea.public_reasoning,
        "duplicate_of_id": idea.duplicate_of_id,
        "proposal_id": idea.proposal_id,
        "submitted_on": _day(idea.created_at),
        "volunteer_pledges": idea.pledge_count,
        "url": _absolute(idea.get_absolute_url()),
    }


def proposal_row(proposal: Proposal) -> dict[str, Any]:
    return {
        "id": proposal.pk,
        "cycle_id": proposal.cycle_id,
        "title": proposal.title,
        "description": proposal.description,
        "area": proposal.area.slug if proposal.area else None,
        "theme": proposal.theme.slug if proposal.theme else None,
        "cost": proposal.cost,
        "responsible_sector": proposal.responsible_sector,
        "sustainability_summary": proposal.sustainability_summary,
        "status": proposal.status,
        "idea_ids": sorted(i.pk for i in proposal.source_ideas.all()),
        "url": _absolute(proposal.get_absolute_url()),
    }


def ballot_row(ballot: Ballot) -> dict[str, Any]:
    return {
        "id": ballot.pk,
        "cycle_id": ballot.cycle_id,
        "name": ballot.name,
        "area": ballot.area.slug if ballot.area else None,
        "money": ballot.money,
        "opens_at": ballot.opens_at,
        "closes_at": ballot.closes_at,
        "selection_rule": ballot.selection_rule,
        "counting_rule": ballot.counting_rule,
        "min_age": ballot.min_age,
        "max_age": ballot.max_age,
        "proposals": ballot.proposal_count,
        "results_published": ballot.results_published_at is not None,
    }


def result_of(ballot: Ballot) -> dict[str, Any] | None:
    """The published count and the decision, or None before the results are public."""
    result = getattr(ballot, "result", None)
    if ballot.results_published_at is None or result is None:
        return None
    decision = getattr(ballot, "decision", None)
    return {
        "ballot_id": ballot.pk,
        "rule": result.rule,
        "votes_counted": result.votes_counted,
        "count": result.data,
        "turnout": result.turnout,
        "decision": None
        if decision is None
        else {
            "decided_on": decision.decided_on,
            "decision_number": decision.decision_number,
            "rule_used": decision.rule_used,
            "rationale": decision.rationale,
            "winner_ids": sorted(p.pk for p in decision.confirmed.all()),
        },
    }


def implementation_row(item: Implementation) -> dict[str, Any]:
    return {
        "id": item.pk,
        "title": item.title,
        "year": item.year,
        "area": item.area.slug if item.area else None,
        "kind": "grant" if item.grant_id else "participatory_budget",
        "proposal_id": item.proposal_id,
        "ballot_id": item.ballot_id,
        "status": item.status,
        "progress_percent": item.progress,
        "planned_cost": item.planned_cost,
        "spent": spent_of(item),
        "maintenance_cost_per_year": item.maintenance_cost_per_year,
        "volunteer_hours": item.volunteer_hours,
        "milestones": item.milestones_total,
        "milestones_done": item.milestones_done,
        "completed_on": item.completed_on,
        "url": _absolute(item.get_absolute_url()),
    }


def expense_row(expense: Expense) -> dict[str, Any]:
    # The supplier and the invoice reference stay out: a supplier may be a private person.
    return {
        "id": expense.pk,
        "implementation_id": expense.implementation_id,
        "paid_on": expense.paid_on,
        "amount": expense.amount,
        "description": expense.description,
    }

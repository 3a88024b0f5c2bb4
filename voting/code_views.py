"""Pages of the code channel and of "what happened to my vote".

Kept beside views.py so parallel work on the ballot pages merges cleanly. Both pages take
their secret (a voting code, a receipt code) by POST only, never in a URL, which would
land in access logs; failed guesses are counted per address and refused past a limit.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django_ratelimit import ALL
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

from omakouvola.ratelimits import limit_posts

from . import codes, selectors
from .forms import BallotChoiceForm, CodeEntryForm, ReceiptCheckForm
from .models import Ballot, SelectionRule
from .views import RECEIPT_COOKIE_SALT, RECEIPT_COOKIE_SECONDS, _get_ballot

CODE_COOKIE = "code_vote_%s"


def _guess_limited(request: HttpRequest, group: str, *, failed: bool = False) -> bool:
    """Count a failed guess (or, without `failed`, ask whether the address has used up
    its budget of wrong codes: then even a right code waits)."""
    usage = get_usage(
        request,
        group=group,
        key="ip",
        rate=settings.RATE_LIMIT_CODE_GUESSES,
        method=ALL,
        increment=failed,
    )
    return usage is not None and usage["count"] >= usage["limit"]


@never_cache
@limit_posts("RATE_LIMIT_VOTES")
def code_vote(request: HttpRequest) -> HttpResponse:
    """Step 1: the code from the slip. Step 2: the ballot, with the code carried in the form."""
    ballot: Ballot | None = None
    entry = CodeEntryForm(request.POST or None)
    choice = None
    if request.method == "POST":
        if _guess_limited(request, "voting-code"):
            raise Ratelimited
        if entry.is_valid():
            code = entry.cleaned_data["code"]
            try:
                ballot = codes.code_ballot(code)
            except ValidationError as exc:
                if getattr(exc, "code", None) == "unknown":
                    _guess_limited(request, "voting-code", failed=True)
                entry.add_error("code", exc)
                ballot = None
        if ballot is not None:
            ballot = _get_ballot(ballot.pk)
            choice = BallotChoiceForm(
                request.POST if "cast" in request.POST else None, ballot=ballot
            )
            if "cast" in request.POST and choice.is_valid():
                try:
                    vote = codes.vote_cast_with_code(
                        ballot=ballot, code=code, proposal_ids=choice.proposal_ids()
                    )
                except ValidationError as exc:
                    choice.add_error(None, exc)
                else:
                    response = redirect("voting:code_done", pk=ballot.pk)
                    response.set_signed_cookie(
                        CODE_COOKIE % ballot.pk,
                        json.dumps({"code": vote.receipt_code, "ids": choice.proposal_ids()}),
                        salt=RECEIPT_COOKIE_SALT,
                        max_age=RECEIPT_COOKIE_SECONDS,
                        secure=request.is_secure(),
                        httponly=True,
                        samesite="Strict",
                    )
                    return response
    return render(
        request,
        "voting/code_vote.html",
        {
            "entry": entry,
            "ballot": ballot,
            "form": choice,
            "is_knapsack": ballot is not None and ballot.selection_rule == SelectionRule.KNAPSACK,
            "chosen": set(choice["proposals"].value() or []) if choice else set(),
        },
    )


@never_cache
def code_done(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt of a code vote, shown once from a cookie in the voter's own browser."""
    ballot = _get_ballot(pk)
    raw = request.get_signed_cookie(
        CODE_COOKIE % pk, default=None, salt=RECEIPT_COOKIE_SALT, max_age=RECEIPT_COOKIE_SECONDS
    )
    try:
        data = json.loads(raw) if raw else None
        cast = {"code": str(data["code"]), "ids": [int(i) for i in data["ids"]]}
    except (TypeError, ValueError, KeyError):
        cast = None
    chosen = [p for p in ballot.proposals.all() if cast and p.pk in cast["ids"]]
    response = render(
        request,
        "voting/code_done.html",
        {
            "ballot": ballot,
            "receipt_code": cast["code"] if cast else "",
            "chosen": chosen,
            "total": sum((p.cost for p in chosen), Decimal(0)),
        },
    )
    response.delete_cookie(CODE_COOKIE % pk)
    return response


@never_cache
@limit_posts("RATE_LIMIT_VOTES")
def my_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """ "What happened to my vote": counted or not, from the receipt code, after publication.

    How many of one's proposals won is worked out in the voter's browser from the
    published winners and anonymous ballots: the choices never leave the browser, and the
    server never holds a receipt code and choices together.
    """
    try:
        ballot = selectors.ballot_for_my_vote(pk)
    except Ballot.DoesNotExist:
        raise Http404 from None
    result = getattr(ballot, "result", None) if ballot.results_published_at else None
    check = ReceiptCheckForm(request.POST or None)
    counted = None
    if request.method == "POST" and result is not None:
        if _guess_limited(request, "receipt-check"):
            raise Ratelimited
        if check.is_valid():
            counted = selectors.receipt_counted(ballot, check.cleaned_data["receipt"])
            if not counted:
                _guess_limited(request, "receipt-check", failed=True)
    published = selectors.published_choices(result) if result is not None else None
    return render(
        request,
        "voting/my_vote.html",
        {
            "ballot": ballot,
            "result": result,
            "check": check,
            "counted": counted,
            "published": published,
        },
    )

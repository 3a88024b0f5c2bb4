"""Voting pages: the ballot, the receipt, results, paper votes and the decision."""

from __future__ import annotations

import json
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ideas.forms import CycleChoiceForm
from omakouvola import selectors as core_selectors
from omakouvola.ratelimits import limit_posts
from omakouvola.rules import allows, permission_required

from . import eligibility, presenters, selectors, services
from .counting.pabulib import write_pabulib
from .forms import BallotChoiceForm, DecisionForm, IdentityForm, PaperVoteForm, ReceiptCheckForm
from .models import Ballot, Channel, IdentityLevel, SelectionRule


def ballot_list(request: HttpRequest) -> HttpResponse:
    form = CycleChoiceForm(request.GET or None)
    cycle = (form.cleaned_data.get("cycle") if form.is_valid() else None) or (
        core_selectors.cycle_current()
    )
    return render(
        request,
        "voting/ballot_list.html",
        {
            "ballots": selectors.ballots_of_cycle(cycle),
            "cycle": cycle,
            "form": form,
            "now": timezone.now(),
        },
    )


def _get_ballot(pk: int) -> Ballot:
    try:
        return selectors.ballot_with_proposals(pk)
    except Ballot.DoesNotExist:
        raise Http404 from None


RECEIPT_COOKIE = "vote_receipt_%s"
RECEIPT_COOKIE_SALT = "voting.receipt"
RECEIPT_COOKIE_SECONDS = 15 * 60


@limit_posts("RATE_LIMIT_VOTES")
def ballot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        # Casting reads what it needs under the ballot's lock; the page's proposals, the
        # eligibility problems and the roll entry are read only to show the form again.
        try:
            ballot = selectors.ballot_for_casting(pk)
        except Ballot.DoesNotExist:
            raise Http404 from None
        form = BallotChoiceForm(request.POST, ballot=ballot)
        if form.is_valid():
            try:
                vote = services.vote_cast(
                    actor=request.user,
                    ballot=ballot,
                    proposal_ids=form.proposal_ids(),
                    wants_results=form.cleaned_data["wants_results"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your vote was recorded. Thank you!"))
                response = redirect("voting:receipt", pk=ballot.pk)
                # What was chosen travels to the confirmation page in a signed cookie in
                # the voter's own browser, never in the database, the session or a URL.
                response.set_signed_cookie(
                    RECEIPT_COOKIE % ballot.pk,
                    json.dumps({"code": vote.receipt_code, "ids": sorted(form.proposal_ids())}),
                    salt=RECEIPT_COOKIE_SALT,
                    max_age=RECEIPT_COOKIE_SECONDS,
                    secure=request.is_secure(),
                    httponly=True,
                    samesite="Strict",
                    path=request.path,
                )
                return response
    ballot = _get_ballot(pk)
    if request.method != "POST":
        form = BallotChoiceForm(None, ballot=ballot)
    # The voter as eligibility sees them: with an electronic identification's facts when
    # this ballot takes them (shown to the resident), read once for the problems too.
    voter = (
        eligibility.voter_of_user(request.user, ballot) if request.user.is_authenticated else None
    )
    problems = eligibility.problems(ballot, voter, None) if voter is not None else []
    # Whether this account voted, never what: the server cannot read a sealed vote.
    voted = selectors.roll_entry_of(ballot, request.user)
    return render(
        request,
        "voting/ballot_detail.html",
        {
            "ballot": ballot,
            "form": form,
            "problems": problems,
            "identity_voter": voter if voter is not None and voter.facts_from else None,
            "needs_identification": ballot.identity_level != IdentityLevel.EMAIL,
            # Code slips are never printed for a ballot that asks for strong identification.
            "codes_accepted": ballot.identity_level != IdentityLevel.STRONG and ballot.is_open(),
            "my_vote": voted,
            "is_knapsack": ballot.selection_rule == SelectionRule.KNAPSACK,
            "chosen": set(form["proposals"].value() or []),
            "off_map": selectors.proposals_off_map(ballot),
        },
    )


def ballot_map_data(request: HttpRequest, pk: int) -> JsonResponse:
    """GeoJSON of the ballot's located public proposals, for the map under its list."""
    ballot = get_object_or_404(Ballot, pk=pk)
    return JsonResponse(selectors.ballot_map_features(ballot))


def _just_cast(request: HttpRequest, ballot: Ballot) -> dict | None:
    raw = request.get_signed_cookie(
        RECEIPT_COOKIE % ballot.pk,
        default=None,
        salt=RECEIPT_COOKIE_SALT,
        max_age=RECEIPT_COOKIE_SECONDS,
    )
    try:
        data = json.loads(raw) if raw else None
        return {"code": str(data["code"]), "ids": [int(pk) for pk in data["ids"]]}
    except (TypeError, ValueError, KeyError):
        return None


@login_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation right after casting: the receipt code and the choices, shown once.

    Later the page only says that the account voted: the vote itself is sealed.
    """
    ballot = _get_ballot(pk)
    voted = selectors.roll_entry_of(ballot, request.user)
    if voted is None:
        raise Http404
    cast = _just_cast(request, ballot) if voted.channel == Channel.WEB else None
    chosen = [p for p in ballot.proposals.all() if cast and p.pk in cast["ids"]]
    response = render(
        request,
        "voting/receipt.html",
        {
            "ballot": ballot,
            "voted": voted,
            "receipt_code": cast["code"] if cast else "",
            "chosen": chosen,
            "total": sum((p.cost for p in chosen), Decimal(0)),
        },
    )
    response.delete_cookie(RECEIPT_COOKIE % ballot.pk, path=request.path.rsplit("/", 2)[0] + "/")
    return response


def results(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _get_ballot(pk)
    result = getattr(ballot, "result", None)
    visible = ballot.results_published_at is not None or allows(
        request.user, "voting.see_unpublished_results"
    )
    if result is None or not visible:
        raise Http404
    proposals = {str(p.pk): p for p in ballot.proposals.all()}
    rows = presenters.result_rows(result, proposals)
    check = ReceiptCheckForm(request.GET or None)
    counted = None
    if check.is_valid():
        counted = selectors.receipt_counted(ballot, check.cleaned_data["receipt"])
    return render(
        request,
        "voting/results.html",
        {
            "ballot": ballot,
            "result": result,
            "rows": rows,
            "total_cost": Decimal(result.data["total_cost"]),
            "check": check,
            "counted": counted,
            "decision": getattr(ballot, "decision", None),
            "explained": selectors.results_explained(result, proposals),
            "area_fairness": selectors.area_fairness(ballot),
            "chart_height": 28 * len(rows) + 10,
            "channels": presenters.votes_by_channel(result),
            "can_decide": allows(request.user, "voting.decide_winners"),
        },
    )


def results_pabulib(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = get_object_or_404(Ballot, pk=pk, results_published_at__isnull=False)
    winners = {int(w) for w in ballot.result.data["winners"]}
    text = write_pabulib(selectors.ballot_election(ballot, selected=winners))
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="omakouvola_ballot_{ballot.pk}.pb"'
    return response


@permission_required("voting.record_paper_votes")
def paper_vote(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    ballots = Ballot.objects.filter(opens_at__lte=now, closes_at__gt=now).order_by("name")
    raw = request.POST.get("ballot") or request.GET.get("ballot") or ""
    # ASCII digits only, and few: "²" passes isdigit() but not int(), 5 000 digits exceed
    # Python's limit; either was a server error.
    raw = raw.strip()
    is_number = raw.isascii() and raw.isdigit() and len(raw) <= 18
    chosen_ballot = ballots.filter(pk=int(raw)).first() if is_number else None
    form = PaperVoteForm(request.POST or None, ballots=ballots, chosen_ballot=chosen_ballot)
    if request.method == "POST" and form.is_valid():
        try:
            services.paper_vote_record(
                clerk=request.user,
                ballot=form.cleaned_data["ballot"],
                identifier=form.cleaned_data["identifier"],
                proposal_ids=[int(p) for p in form.cleaned_data["proposals"]],
                birth_year=form.cleaned_data.get("birth_year"),
                postal_code=form.cleaned_data.get("postal_code", ""),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The paper vote was recorded."))
            return redirect(f"{request.path}?ballot={form.cleaned_data['ballot'].pk}")
    return render(request, "voting/paper_vote.html", {"form": form, "ballot": chosen_ballot})


@permission_required("voting.verify_identity")
def verify_identity(request: HttpRequest) -> HttpResponse:
    form = IdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.identity_verify_in_person(
                clerk=request.user, user=form.user, identifier=form.cleaned_data["identifier"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The identity was verified for this account."))
            return redirect("voting:verify_identity")
    return render(request, "voting/verify_identity.html", {"form": form})


@permission_required("voting.decide_winners")
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _get_ballot(pk)
    result = getattr(ballot, "result", None)
    if result is None:
        messages.error(request, _("The results must be published before the decision."))
        return redirect("voting:ballots")
    computed = [str(w) for w in result.data["winners"]]
    form = DecisionForm(request.POST or None, ballot=ballot, initial={"winners": computed})
    if request.method == "POST" and form.is_valid():
        try:
            services.winners_decide(
                actor=request.user,
                ballot=ballot,
                decided_on=form.cleaned_data["decided_on"],
                decision_number=form.cleaned_data["decision_number"],
                rationale=form.cleaned_data["rationale"],
                winner_ids=[int(w) for w in form.cleaned_data["winners"]],
                departure_reasons=form.reasons(),
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("The winners were confirmed."))
            return redirect("voting:results", pk=ballot.pk)
    return render(
        request,
        "voting/decide.html",
        {
            "ballot": ballot,
            "form": form,
            "result": result,
            "computed": set(computed),
            "decision": getattr(ballot, "decision", None),
        },
    )


def my_page_panel(request: HttpRequest, user) -> str:
    """Which ballots this person voted in, for their own page (registered in
    omakouvola.panels); from the voter roll, never the choices."""
    return render_to_string(
        "voting/_my_page.html", {"entries": selectors.ballots_voted_by(user)}, request=request
    )

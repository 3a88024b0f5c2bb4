"""The Method of Equal Shares with cost utilities, Add1, and an optional greedy completion.

Definition (equalshares.net): every voter starts with an equal share of the money. A proposal
is affordable when its supporters together still hold its cost; its cost is split among them
as equally as possible, those with less than an equal part paying all they have. Of the
affordable proposals, the one whose largest payment per supporter is smallest relative to its
cost (with cost utilities: the most "effective votes", cost divided by the largest payment) is
funded next. This repeats until nothing is affordable.

Add1: one run leaves money unspent, so the run is repeated with each voter's share raised by
``step`` (one euro, or 100 for forints) as long as the funded proposals still fit the real
budget; the last outcome that fits is kept, and the raising stops early once an outcome leaves
no unfunded proposal that would fit the money left ("exhaustive"). This is the same sequence
of runs as pabutools' ``method_of_equal_shares(..., voter_budget_increment=step)``, which
starts at exactly budget / voters.

Arithmetic: voters' money is float64 in numpy arrays over groups of identical ballots, for
speed, but no float comparison decides a winner on its own. Each decision (do the supporters
hold the cost? which price is lowest?) is trusted only when its float margin is wider than a
bound on the accumulated rounding error (:data:`DECISION_MARGIN` relative plus
:data:`FLOAT_ERROR` per round, both orders of magnitude above float64's); otherwise the run is
redone in exact fractions (:meth:`_Engine.exact_run`), which finds exact ties for the
tie-break and exact shortfalls. Prices that are level only because every supporter pays the
equal split are exactly 1 / supporters and are compared as integers without that detour.
Whether an outcome fits the budget, and whether it is exhaustive, is decided on exact
Decimals; each voter's starting share is an exact fraction.

Speed: pabutools re-runs the method once per step from scratch with exact fractions per voter
(minutes and gigabytes on a Warsaw district). Here identical ballots are one weighted group,
a run only re-evaluates proposals whose last value could still win (a proposal only gets
worse as its supporters spend, so a stale value is a lower bound), and the payment split is
found with a few vectorised passes rather than a sort. The Add1 loop also skips shares whose
outcome is certain: while the set of supporters paying "all they have" stays the same for
every funded proposal, each group's money and each proposal's price are affine in the
starting share, so a run can certify an interval of shares with the very same decisions
(:meth:`_Engine.run` with ``certify``), and the next run starts past it. Where votes are
spread over thousands of distinct ballots those intervals are usually shorter than one step,
so certifying is tried again only after a growing number of plain runs. Where a run's own
certificate ends early (a supporter starts or stops paying all they have, which need not
change any decision), Add1 searches instead: a run further on that funds the same proposals
in the same order, each round's rivals clearly dearer than the lower run's choice, proves
every share in between (money only grows and prices only fall with the starting share along
a fixed order; :meth:`_Engine.run` with ``follow``), so the search doubles its reach from
the last stretch's length and halves back to the first share not proven. The skipped shares
never change the result (tested against running every step, and each proof share by share).
Dot products are cut into pieces OpenBLAS keeps on one thread (:func:`_dot`): its threads,
woken for every long sum, cost several times the sum itself on a busy machine.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

import numpy as np

from .greedy import greedy_fill
from .outcome import (
    CountResult,
    ProposalOutcome,
    Reason,
    TieBreak,
    TieRecord,
    tie_break_ranks,
    to_cents,
)
from .pabulib import Election
from .profile import ApprovalProfile

__all__ = ["equal_shares"]

DECISION_MARGIN = 1e-9
"""Relative gap under which a float comparison is not trusted and exact fractions decide."""
FLOAT_ERROR = 1e-12
"""Bound on float error per round, relative to a voter's starting share (float64's
epsilon is 1.1e-16; the rest is headroom for sums over many ballot groups)."""
TIE_TOLERANCE = DECISION_MARGIN
"""Relative band used by the certificates (:func:`_choice_stable_until`)."""
MAX_PASSES = 1_000_000
_greatest = np.maximum.reduce
_least = np.minimum.reduce
"""``array.min()`` without the Python wrapper numpy puts around the method."""
_DOT_CHUNK = 8192
"""Longest dot product handed to BLAS in one call (see :func:`_dot`)."""


class _Round(NamedTuple):
    """One funded proposal of a run (a named tuple: a run makes thousands of these)."""

    project: int
    max_payment: float
    paying_less: int
    """Voters paying less than ``max_payment``; -1 while still to count from ``held``."""
    tied: tuple[int, ...]
    held: np.ndarray | None = None
    """The supporter groups' money before paying, kept so that only the rounds shown (those
    of the run Add1 keeps) count who paid less."""
    level: bool = True
    """The tied prices (if any) are each exactly one over the supporters: everyone can pay
    the equal split. Always so in a float run; an exact run may also tie otherwise."""

    def voters_paying_less(self, weights: np.ndarray) -> int:
        if self.held is None:
            return self.paying_less
        return int(weights[self.held < self.max_payment * (1.0 - DECISION_MARGIN)].sum())


@dataclass(frozen=True)
class _Run:
    share: Fraction
    rounds: tuple[_Round, ...]
    budgets: np.ndarray
    winners: tuple[int, ...]
    total_cost: Decimal
    safe_until: Fraction | None = None
    stand_in: bool = False
    """The outcome of a certified run at a lower share, standing in for this share's run."""
    follows: bool = False
    """Run with ``follow``: every share between the followed run's and this one is proven
    to give the same outcome (see :meth:`_Engine.run`)."""


def equal_shares(
    election: Election | ApprovalProfile,
    *,
    completion: str | None = "add1",
    step: Decimal | int = 1,
    tie_break: TieBreak = TieBreak.MUNICIPAL,
    seed: int | None = None,
    skip_stable_shares: bool = True,
) -> CountResult:
    """Count by the Method of Equal Shares with cost utilities.

    ``completion``: ``None`` for a single run at budget / voters, ``"add1"`` to raise the
    shares by ``step`` while the outcome fits, ``"add1u"`` for Add1 followed by the greedy
    rule on the money left. ``skip_stable_shares=False`` runs every step one by one, as the
    reference implementation does (slower, same result; kept for verification).
    """
    if completion not in (None, "add1", "add1u"):
        raise ValueError(f"unknown completion {completion!r}")
    step = Fraction(Decimal(step))
    if step <= 0:
        raise ValueError("the Add1 step must be positive")
    profile = (
        election
        if isinstance(election, ApprovalProfile)
        else ApprovalProfile.from_election(election)
    )
    ranks, seed = tie_break_ranks(profile.ids, profile.costs, profile.votes, tie_break, seed)
    engine = _Engine(profile, ranks)

    if profile.n_voters == 0:
        run = _Run(Fraction(0), (), np.zeros(0), tuple(engine.free), Decimal(0))
        passes = 0
    elif completion is None:
        run = engine.run(Fraction(profile.budget) / profile.n_voters)
        passes = 1
    else:
        run, passes = _add1(engine, step, skip_stable_shares)
    outcomes: dict[int, ProposalOutcome] = {}
    position = 0
    for p in engine.free:
        position += 1
        outcomes[p] = _outcome(profile, p, Reason.FUNDED_FREE, position=position)
    ties: list[TieRecord] = []
    for rnd in run.rounds:
        position += 1
        p = rnd.project
        outcomes[p] = _outcome(
            profile,
            p,
            Reason.FUNDED_EQUAL_SHARES,
            position=position,
            max_payment=_payment_shown(rnd.max_payment),
            effective_votes=_effective_votes(profile.costs[p], rnd.max_payment),
            supporters_paying_less=rnd.voters_paying_less(profile.supporter_weights[p]),
        )
        if len(rnd.tied) > 1:
            ties.append(
                TieRecord(
                    stage="equal shares",
                    tied=tuple(profile.ids[q] for q in sorted(rnd.tied, key=ranks.__getitem__)),
                    chosen=profile.ids[p],
                )
            )
    winners = list(run.winners)
    money_left = profile.budget - run.total_cost
    for p in range(len(profile.ids)):
        if p in outcomes:
            continue
        if profile.votes[p] == 0:
            outcomes[p] = _outcome(profile, p, Reason.NOT_FUNDED_NO_VOTES)
            continue
        held = (
            _dot(run.budgets[profile.supporters[p]], profile.supporter_weights[p])
            if len(run.budgets)
            else 0.0
        )
        outcomes[p] = _outcome(
            profile, p, Reason.NOT_FUNDED_SUPPORTERS_SHORT, supporters_money=to_cents(held)
        )
    if completion == "add1u":
        rest = [p for p in range(len(profile.ids)) if p not in run.winners and profile.votes[p] > 0]
        extra, money_left, completion_ties = greedy_fill(
            profile,
            rest,
            money_left,
            ranks,
            outcomes,
            stage="greedy completion",
            position=position,
            funded_reason=Reason.FUNDED_COMPLETION,
        )
        winners += extra
        ties += completion_ties

    rule = {None: "equal-shares", "add1": "equal-shares/add1", "add1u": "equal-shares/add1u"}
    return CountResult(
        rule=rule[completion],
        budget=profile.budget,
        winners=tuple(profile.ids[p] for p in winners),
        total_cost=profile.budget - money_left,
        proposals=tuple(outcomes[p] for p in range(len(profile.ids))),
        tie_break=tie_break,
        seed=seed,
        ties=tuple(ties),
        per_voter_budget=Decimal(run.share.numerator) / Decimal(run.share.denominator),
        passes=passes,
        options={"completion": completion, "step": str(Decimal(step.numerator) / step.denominator)},
    )


def _add1(engine: _Engine, step: Fraction, skip_stable_shares: bool) -> tuple[_Run, int]:
    """Raise the starting share by ``step`` while the outcome fits; the kept run and the count.

    The sequence of shares is the reference's: budget / voters, then one step more at a time,
    stopping at the first outcome that overspends (keeping the one before) or that is
    exhaustive (keeping it). Shares proven to give the outcome of the last run are not run
    again: that outcome fits and is not exhaustive, so the loop would only pass through.
    The proof is either the run's own affine certificate (``certify``) or a run further on
    that follows it (``follow``, :func:`_same_outcome_steps`).
    """
    budget = engine.profile.budget
    share = Fraction(budget) / engine.profile.n_voters
    previous = _Run(share, (), np.zeros(0), tuple(engine.free), Decimal(0))
    # Certifying costs about a third of a run; where money is spread over many distinct
    # ballots the certificate rarely reaches the next step, so after a miss it is tried
    # again only after a growing number of plain runs.
    certify_in = 0
    misses = 0
    passes = 0
    ready: _Run | None = None
    guess = 2
    search_in = 0
    search_misses = 0
    while True:
        if ready is not None:
            run, ready = ready, None
        else:
            run = engine.run(share, certify=skip_stable_shares and certify_in == 0)
            passes += 1
        certify_in = max(certify_in - 1, 0)
        if run.total_cost > budget:
            kept = previous
            break
        if engine.exhaustive(run):
            kept = run
            break
        if passes >= MAX_PASSES:
            raise RuntimeError("Add1 did not settle; the step is far too small for this budget")
        steps = 1
        if run.safe_until is not None:
            steps = max(1, math.ceil((run.safe_until - share) / step))
            if steps > 1:
                misses = 0
            else:
                misses += 1
                certify_in = min(2**misses, 16)
        search_in = max(search_in - 1, 0)
        if skip_stable_shares and steps == 1 and search_in == 0:
            steps, ready, probes = _same_outcome_steps(
                engine, run, step, guess, certify=certify_in == 0
            )
            passes += probes
            guess = steps
            # Where every step changes the outcome (thousands of distinct ballots), a
            # search only adds work; it is tried again after a growing number of runs.
            search_misses = search_misses + 1 if steps == 1 else 0
            search_in = min(2 ** (search_misses - 2), 16) if search_misses > 2 else 0
        # The share just before the next one to run has this run's outcome (certified when
        # more than one step is skipped); the payments shown are recomputed for it below.
        if steps == 1:
            previous = run
        else:
            previous = replace(
                run, share=share + (steps - 1) * step, safe_until=None, stand_in=True
            )
        share += steps * step
    if kept.stand_in:
        real = engine.run(kept.share)
        passes += 1
        if real.winners != kept.winners:
            # A certificate was wrong, which the bookkeeping's margins should rule out;
            # the plain step-by-step sequence is the definition, so fall back to it.
            return _add1(engine, step, skip_stable_shares=False)
        kept = real
    return kept, passes


def _same_outcome_steps(
    engine: _Engine, run: _Run, step: Fraction, guess: int, certify: bool
) -> tuple[int, _Run | None, int]:
    """How many steps from ``run``'s share are proven to keep its outcome, searched.

    A run ``j`` steps on that follows ``run`` (or a run already proven to) proves every
    share up to it; the search doubles ``j`` from ``guess`` (the last stretch's length:
    outcomes tend to last about as long as the one before) while that holds, then halves the
    gap to the first share not proven. Returns that number of steps ``n`` (shares
    ``0 .. n - 1`` steps on have the outcome), the real run at ``n`` steps on, and the runs
    the search made. A first probe one step on is the next run anyway, so a search that
    finds nothing costs only the proof's extra pricing.
    """
    lo = 0
    hi = 0
    hi_run: _Run | None = None
    probes = 0
    j = max(1, guess)
    base = run
    while hi == 0 or hi - lo > 1:
        j = max(j, lo + 1) if hi == 0 else (lo + hi) // 2
        probe = engine.run(run.share + j * step, certify=certify, follow=base)
        probes += 1
        if probe.follows:
            # Proven up to j; the next probe is checked against this nearer run, whose
            # prices are closer to the next share's.
            lo, base = j, probe
            j *= 2
            if j > MAX_PASSES:
                raise RuntimeError("Add1 did not settle; the step is far too small")
        else:
            hi, hi_run = j, probe
    return hi, hi_run, probes


def _payment_shown(max_payment: float) -> Decimal:
    """The largest payment to the cent, or to a hundredth of a cent when it is below one."""
    cents = to_cents(max_payment)
    if cents == 0 and max_payment > 0:
        return Decimal(max_payment).quantize(Decimal("0.0001"))
    return cents


def _effective_votes(cost: Decimal, max_payment: float) -> Decimal | None:
    """Cost divided by the largest payment, to the hundredth; exact, whatever the payment.

    The payment shown is rounded to the cent, but this figure is not derived from it: a
    payment below half a cent (a 1 € proposal shared by 250 supporters) shows as 0.00 while
    its effective votes are 250.00.
    """
    if not max_payment > 0:
        return None
    return _hundredths(Fraction(cost) / Fraction(max_payment))


def _hundredths(value: Fraction) -> Decimal:
    """``value`` rounded half-even to two decimals, as Decimal's quantize would."""
    cents = round(value * 100)
    return Decimal(cents).scaleb(-2)


def _outcome(
    profile: ApprovalProfile, p: int, reason: Reason, **numbers: object
) -> ProposalOutcome:
    return ProposalOutcome(
        project_id=profile.ids[p],
        cost=profile.costs[p],
        votes=profile.votes[p],
        reason=reason,
        **numbers,  # type: ignore[arg-type]
    )


class _Engine:
    """One election prepared for repeated runs at different starting shares."""

    def __init__(self, profile: ApprovalProfile, ranks: Sequence[int]) -> None:
        self.profile = profile
        self.ranks = ranks
        self.cost = [float(c) for c in profile.costs]
        self.weight = [float(v) for v in profile.votes]
        # As in the reference: free proposals with supporters are funded up front, and
        # proposals nobody supports never take part (they are not counted as "still fitting"
        # when deciding whether an outcome is exhaustive).
        self.free = [p for p, c in enumerate(profile.costs) if c == 0 and profile.votes[p] > 0]
        self.candidates = [p for p, c in enumerate(profile.costs) if c > 0 and profile.votes[p] > 0]
        self.min_cost = min((self.cost[p] for p in self.candidates), default=1.0)
        self.exact_runs = 0
        # Each proposal's price per unit of cost before anyone pays: the equal split.
        self.first_bound = [1.0 / w if w else math.inf for w in self.weight]
        self.fits_one_call = [len(groups) <= _DOT_CHUNK for groups in profile.supporters]

    def exhaustive(self, run: _Run) -> bool:
        money_left = self.profile.budget - run.total_cost
        funded = set(run.winners)
        return not any(
            self.profile.costs[p] <= money_left for p in self.candidates if p not in funded
        )

    def exact_run(self, share: Fraction, follow: _Run | None = None) -> _Run:
        """One run in exact fractions, ballot group by ballot group, without shortcuts.

        The float run hands over to this one as soon as a decision is too close for floats
        (supporters holding about exactly the cost, two prices about equal), so every
        decision that picks a winner is exact. It is the definition written out plainly:
        slower, and used only for those runs. ``follow`` as for :meth:`run`.
        """
        self.exact_runs += 1
        profile = self.profile
        ranks = self.ranks
        if not hasattr(self, "_members"):
            self._members = {p: profile.supporters[p].tolist() for p in self.candidates}
            self._group_weight = [int(w) for w in profile.group_weights]
            self._exact_cost = {p: Fraction(profile.costs[p]) for p in self.candidates}
        members, w, exact_cost = self._members, self._group_weight, self._exact_cost
        money = [share] * profile.n_groups
        alive = list(self.candidates)
        rounds: list[_Round] = []
        follows = follow is not None
        while alive:
            prices: dict[int, Fraction] = {}
            for p in list(alive):
                groups = members[p]
                c = exact_cost[p]
                if sum(w[g] * money[g] for g in groups) < c:
                    alive.remove(p)
                    continue
                prices[p] = _exact_payment(groups, money, w, c) / c
            if not prices:
                break
            best = min(prices.values())
            tied = tuple(p for p, price in prices.items() if price == best)
            chosen = min(tied, key=ranks.__getitem__)
            alive.remove(chosen)
            level = all(best * profile.votes[p] == 1 for p in tied)
            if follows:
                follows = self._still_followed(follow, len(rounds), chosen, prices, share)
            x = best * exact_cost[chosen]
            paying_less = 0
            for g in members[chosen]:
                if money[g] < x:
                    paying_less += w[g]
                    money[g] = Fraction(0)
                else:
                    money[g] -= x
            rounds.append(_Round(chosen, float(x), paying_less, tied, None, level))
        follows = follows and len(rounds) == len(follow.rounds)
        winners = (*self.free, *(r.project for r in rounds))
        total_cost = sum((profile.costs[p] for p in winners), Decimal(0))
        budgets = np.array([float(m) for m in money])
        return _Run(share, tuple(rounds), budgets, winners, total_cost, follows=follows)

    def _still_followed(
        self, follow: _Run, n: int, chosen: int, prices: dict[int, Fraction], share: Fraction
    ) -> bool:
        """An exact run's round ``n`` keeps ``follow``'s choice for every share in between
        (see :meth:`run`): the same proposal, and every other affordable one clearly dearer
        than the chosen one was there (or level with it at the equal split there)."""
        if n >= len(follow.rounds) or follow.rounds[n].project != chosen:
            return False
        reach, level = self._follow_reach(follow.rounds[n], n, float(share))
        return all(float(price) > reach or q in level for q, price in prices.items() if q != chosen)

    def _follow_reach(self, theirs: _Round, n: int, fshare: float) -> tuple[float, tuple[int, ...]]:
        """For round ``n`` of a run that follows ``theirs``'s run: the price every rival must
        clearly exceed (``theirs``'s chosen price, with the float margins of a decision), and
        the rivals that may instead be level with it.

        A tie at the equal split (each price exactly one over its supporters, everyone
        holding at least that) stays one with more money, so the tie-break decides it the
        same way at every share in between; any other tie may break either way."""
        error = (n + 1) * FLOAT_ERROR * fshare
        reach = (
            theirs.max_payment / self.cost[theirs.project] * (1.0 + DECISION_MARGIN)
            + 2.0 * error / self.min_cost
        )
        return reach, theirs.tied if theirs.level else ()

    def run(self, share: Fraction, *, certify: bool = False, follow: _Run | None = None) -> _Run:
        """One run of the method with every voter starting at ``share``.

        With ``certify``, the run also tracks each ballot group's money as an affine function
        ``money + slope * t`` of a raise ``t`` of the starting share, and every decision as
        an affine inequality in ``t``; ``safe_until`` is then a share below which every
        decision, hence the outcome, is certainly the same (see :func:`_stable_until`).

        With ``follow`` (a real run at a lower share), the run also checks whether every
        share in between gives ``follow``'s outcome, and says so in ``follows``. The proof
        rests on monotonicity along a fixed order of funding: with more money at the start,
        each proposal's largest payment can only fall (the supporters hold more), so each
        group keeps at least as much after paying, round after round. So for a share in
        between, the group's money after each round lies between the two runs', each
        proposal's price between its prices in the two runs, and whoever can't afford a
        proposal in this run can't at a lower share either. If this run funds the same
        proposals in the same order, and in every round every other proposal still in the
        race costs here clearly more than the chosen one cost in ``follow`` (its price is
        only higher at a lower share, the chosen one's only lower at a higher), every
        share in between makes the same choices, round after round, and ends the same way
        (nothing left affordable here, so nothing there). Unlike ``certify``, this holds
        however supporters move between paying all they have and paying the full share.
        """
        profile = self.profile
        supporters = profile.supporters
        weights = profile.supporter_weights
        cost = self.cost
        ranks = self.ranks
        fits_one_call = self.fits_one_call
        fshare = float(share)
        budgets = np.full(profile.n_groups, fshare)
        # Lower bounds on each proposal's price per unit of cost (largest payment / cost);
        # they only rise as supporters spend, so a stale bound is still a bound.
        bound = self.first_bound.copy()
        slopes = np.ones(profile.n_groups) if certify else None
        bound_slope = [0.0] * len(cost)
        limit_t = math.inf
        alive = list(self.candidates)
        rounds: list[_Round] = []
        follows = follow is not None
        while alive:
            alive.sort(key=bound.__getitem__)
            best = math.inf
            limit = math.inf
            # Following: every proposal that might cost no more than follow's choice of this
            # round is priced for real, so a stale bound can't hide one.
            reach = -math.inf
            level: tuple[int, ...] = ()
            error = (len(rounds) + 1) * FLOAT_ERROR * fshare
            if follows and len(rounds) < len(follow.rounds):
                reach, level = self._follow_reach(follow.rounds[len(rounds)], len(rounds), fshare)
            evaluated: list[int] = []
            helds: dict[int, np.ndarray] = {}
            poor_sets: dict[int, np.ndarray | None] = {}
            sure_equal_split: set[int] = set()
            short: list[int] = []
            for p in alive:
                if bound[p] > limit and bound[p] > reach:
                    break
                idx = supporters[p]
                held = budgets[idx]
                c = cost[p]
                # BLAS directly where the sum is short (almost always): a call less per price.
                total = float(held @ weights[p]) if fits_one_call[p] else _dot(held, weights[p])
                slack = DECISION_MARGIN * c + error * self.weight[p]
                if abs(total - c) <= slack:
                    # Supporters hold about exactly the cost: only exact arithmetic can say.
                    return self.exact_run(share, follow)
                if total < c:
                    short.append(p)
                    if slopes is not None:
                        # It stays unaffordable (and out of the run) while its supporters'
                        # money stays below its cost.
                        rise = _dot(slopes[idx], weights[p])
                        if rise > 0.0:
                            limit_t = min(limit_t, (c - slack - total) / rise)
                    continue
                x = c / self.weight[p]
                lowest = _least(held)
                if lowest >= x:
                    poor = None
                    if lowest > x * (1.0 + DECISION_MARGIN) + error:
                        sure_equal_split.add(p)
                else:
                    # The last price found is a lower bound (prices only rise as supporters
                    # spend), so the search starts there, less a margin for its rounding.
                    x = max(x, bound[p] * c * (1.0 - DECISION_MARGIN))
                    paid = held * weights[p]
                    x, poor = _max_payment(held, paid, weights[p], c, self.weight[p], x)
                rho = x / c
                bound[p] = rho
                if slopes is not None:
                    poor_sets[p] = poor
                    bound_slope[p] = (
                        _payment_slope(slopes[idx], weights[p], poor, self.weight[p]) / c
                    )
                evaluated.append(p)
                helds[p] = held
                if rho < best:
                    best = rho
                    # Prices closer than this may be ordered wrongly by rounding.
                    limit = best * (1.0 + DECISION_MARGIN) + 2.0 * error / self.min_cost
            for p in short:
                alive.remove(p)
            if not evaluated:
                break
            tied = tuple(p for p in evaluated if bound[p] <= limit)
            if len(tied) > 1:
                if not sure_equal_split.issuperset(tied):
                    # Two prices too close for floats to order: decide on exact fractions.
                    return self.exact_run(share, follow)
                # Everyone can pay the equal split: each price is exactly 1 / supporters.
                most = max(self.weight[p] for p in tied)
                tied = tuple(p for p in tied if self.weight[p] == most)
            chosen = min(tied, key=ranks.__getitem__)
            alive.remove(chosen)
            if follows and (
                len(rounds) == len(follow.rounds)
                or chosen != follow.rounds[len(rounds)].project
                or any(bound[q] <= reach and q not in level for q in alive)
            ):
                follows = False
            x = bound[chosen] * cost[chosen]
            idx = supporters[chosen]
            held = helds[chosen]
            if slopes is not None:
                poor = poor_sets[chosen]
                x_slope = bound_slope[chosen] * cost[chosen]
                group_slopes = slopes[idx]
                limit_t = min(
                    limit_t,
                    _partition_stable_until(held, group_slopes, poor, x, x_slope),
                    _choice_stable_until(chosen, alive, bound, bound_slope, ranks),
                )
                if poor is None:
                    slopes[idx] = group_slopes - x_slope
                else:
                    slopes[idx] = np.where(poor, 0.0, group_slopes - x_slope)
            left = held - x
            budgets[idx] = np.maximum(left, 0.0, out=left)
            rounds.append(_Round(chosen, x, -1, tied, held))
        winners = (*self.free, *(r.project for r in rounds))
        total_cost = sum((profile.costs[p] for p in winners), Decimal(0))
        safe_until = None
        if certify:
            safe_until = _stable_until(share, limit_t)
        follows = follows and len(rounds) == len(follow.rounds)
        return _Run(share, tuple(rounds), budgets, winners, total_cost, safe_until, follows=follows)


def _stable_until(share: Fraction, limit_t: float) -> Fraction:
    """The share up to which a certified run's outcome holds, with a margin for rounding.

    The margin (a millionth of a currency unit plus a relative 1e-7) is far above the float
    error in the affine bookkeeping and far below any Add1 step, so a share near a boundary
    is always run for real rather than skipped.
    """
    if not limit_t > 0.0:
        return share
    if math.isinf(limit_t):
        limit_t = 1e15
    margin = 1e-6 + 1e-7 * limit_t
    return share + Fraction(max(limit_t - margin, 0.0))


def _payment_slope(
    group_slopes: np.ndarray, weights: np.ndarray, poor: np.ndarray | None, total_weight: float
) -> float:
    """How the largest payment moves with a raise of the starting share, partition fixed.

    x = (cost - poor money) / rich weight, so dx/dt = -(poor money's slope) / rich weight.
    """
    if poor is None:
        return 0.0
    mask = poor if len(poor) <= _DOT_CHUNK else poor.astype(float)
    rich_weight = total_weight - _dot(weights, mask)
    if rich_weight <= 0.0:
        return -math.inf
    return -_dot(weights * group_slopes, mask) / rich_weight


def _partition_stable_until(
    held: np.ndarray, group_slopes: np.ndarray, poor: np.ndarray | None, x: float, x_slope: float
) -> float:
    """Largest raise keeping every supporter on the same side of the largest payment."""
    if not math.isfinite(x_slope):
        return 0.0
    gap = held - x
    gap_slope = group_slopes - x_slope
    if poor is not None:
        # Those paying all they have must keep having at most the largest payment.
        np.negative(gap, out=gap, where=poor)
        np.negative(gap_slope, out=gap_slope, where=poor)
    # Over the gaps that close (slope below zero), the least gap / -slope is minus the
    # greatest gap / slope; a gap already at or below zero allows no raise at all.
    ratio = np.full(len(gap), -math.inf)
    np.divide(gap, gap_slope, out=ratio, where=gap_slope < 0.0)
    until = -float(_greatest(ratio))
    if until <= 0.0:
        return 0.0
    return until


def _choice_stable_until(
    chosen: int,
    others: list[int],
    bound: list[float],
    bound_slope: list[float],
    ranks: Sequence[int],
) -> float:
    """Largest raise for which no other proposal could beat the chosen one.

    Each other proposal is compared through a lower bound on its price that is affine in the
    raise (its price computed with a fixed partition of its supporters is never above the
    true price), against the chosen proposal's exact affine price.
    """
    rho = bound[chosen]
    rho_slope = bound_slope[chosen]
    until = math.inf
    for q in others:
        d0 = bound[q] - rho
        d1 = bound_slope[q] - rho_slope
        if ranks[q] < ranks[chosen]:
            # q wins ties, so it must stay clearly worse than the tolerance band.
            e0 = d0 - 2.0 * TIE_TOLERANCE * rho
            e1 = d1 - 2.0 * TIE_TOLERANCE * rho_slope
            if e0 <= 0.0:
                return 0.0
            if e1 < 0.0:
                until = min(until, e0 / -e1)
        elif abs(d0) <= TIE_TOLERANCE * rho:
            # Level now: fine while the two move in step (a symmetric tie, decided the same
            # way by the tie-break), or while q only moves away.
            in_step = abs(d1) <= TIE_TOLERANCE * (abs(rho_slope) + abs(bound_slope[q]))
            if not in_step and (d0 < 0.0 or d1 < 0.0):
                return 0.0
        elif d1 < 0.0:
            until = min(until, d0 / -d1)
    return until


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """``a @ b`` as a float, in pieces short enough that OpenBLAS stays on one thread.

    OpenBLAS splits a dot product of more than 10 000 entries over threads; between the
    thousands of short calls of a count the threads sleep, and waking them costs more than
    the sum (on a busy two-core machine a 200 x 100 000 election took 7.2 s that way and
    1.2 s on one thread).
    """
    n = len(a)
    if n <= _DOT_CHUNK:
        return float(a @ b)
    return float(
        sum(a[i : i + _DOT_CHUNK] @ b[i : i + _DOT_CHUNK] for i in range(0, n, _DOT_CHUNK))
    )


def _max_payment(
    held: np.ndarray,
    paid: np.ndarray,
    weights: np.ndarray,
    cost: float,
    total_weight: float,
    x: float,
) -> tuple[float, np.ndarray]:
    """The smallest payment x with sum(weight * min(held, x)) == cost, from the equal split x.

    ``paid`` is weight * held per supporter group. Called when some supporter holds less
    than the equal split (the supporters together are known to afford the cost). Also returns
    which supporters pay all they hold. Supporters who cannot pay x move into the "pays all it
    has" set until the set stops growing; it only grows, and in practice settles in one to
    three passes, cheaper than sorting thousands of ballot groups.
    """
    if len(held) > _DOT_CHUNK:
        return _max_payment_long(held, paid, weights, cost, total_weight, x)
    poor_weight = -1.0
    while True:
        # A product with a boolean mask is the same BLAS sum as with a 0/1 float mask,
        # without the slow cast of a comparison into floats.
        poor = held < x
        grown_weight = float(weights @ poor)
        # Weights are positive and the set only grows, so an unchanged weight is an
        # unchanged set.
        if grown_weight == poor_weight:
            return x, poor
        poor_weight = grown_weight
        rich_weight = total_weight - poor_weight
        if rich_weight <= 0.0:
            return float(held.max()), poor
        x = (cost - float(paid @ poor)) / rich_weight


def _max_payment_long(
    held: np.ndarray,
    paid: np.ndarray,
    weights: np.ndarray,
    cost: float,
    total_weight: float,
    x: float,
) -> tuple[float, np.ndarray]:
    """:func:`_max_payment` for more than :data:`_DOT_CHUNK` groups, with a float mask that
    :func:`_dot` can cut into pieces."""
    poor = np.empty(len(held))
    poor_weight = -1.0
    while True:
        np.less(held, x, out=poor, casting="unsafe")
        grown_weight = _dot(poor, weights)
        if grown_weight == poor_weight:
            return x, poor.astype(bool)
        poor_weight = grown_weight
        rich_weight = total_weight - poor_weight
        if rich_weight <= 0.0:
            return float(held.max()), poor.astype(bool)
        x = (cost - _dot(poor, paid)) / rich_weight


def _exact_payment(
    groups: list[int], money: list[Fraction], w: list[int], cost: Fraction
) -> Fraction:
    """The smallest x with sum(weight * min(money, x)) == cost, in exact fractions.

    The supporters are known to hold at least ``cost`` between them. Going from the poorest
    up, a group that holds less than an equal part of what is still to pay pays all it has.
    """
    to_pay = cost
    weight = sum(w[g] for g in groups)
    for g in sorted(groups, key=money.__getitem__):
        if money[g] * weight < to_pay:
            to_pay -= w[g] * money[g]
            weight -= w[g]
        else:
            break
    if weight == 0:
        return max(money[g] for g in groups)
    return to_pay / weight

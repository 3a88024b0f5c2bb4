"""Every write in the voting app: ballots, casting, paper votes, results, the decision."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ideas.models import Proposal, ProposalStatus
from omakouvola import hooks
from omakouvola.audit import AuditAction
from omakouvola.formatting import format_euros
from omakouvola.models import PostalCode, User
from omakouvola.outbox import enqueue
from omakouvola.rules import COORDINATOR_ONLY, require  # noqa: F401  (messages re-exported)
from omakouvola.services import audit_record, field_changes, notify

from . import eligibility, identity, secrecy
from .eligibility import (  # noqa: F401  (re-exported: the messages callers assert on)
    BIRTH_YEAR_NEEDED,
    IDENTITY_TOO_WEAK,
    NOT_RESIDENT,
    NOT_VERIFIED,
    OTHER_AREA_IN_GROUP,
    POSTAL_CODE_NEEDED,
    STRONG_NOT_AVAILABLE,
    TOO_OLD,
    TOO_YOUNG,
    VOTING_NOT_OPEN,
)
from .models import (
    Ballot,
    BallotGroup,
    BallotResult,
    Channel,
    IdentityLevel,
    IdentitySource,
    PaperBatch,
    SelectionRule,
    VerifiedIdentity,
    Vote,
    VoterRoll,
    WinnerDecision,
    age_band,
)
from .rules import CLERK_ONLY, DECISION_MAKER_ONLY  # noqa: F401  (re-exported)

OVER_BUDGET = _("The proposals you chose cost %(total)s, more than the %(money)s available.")
TOO_FEW = _("Choose at least %(n)s proposals.")
TOO_MANY = _("Choose at most %(n)s proposals.")
NOT_ON_BALLOT = _("A proposal you chose is not on this ballot.")
BALLOT_LOCKED = _(
    "Votes have already been cast on this ballot, so its rules and proposals can no longer change."
)
ALREADY_VOTED = _("A vote by this person has already been recorded on this ballot.")
NOT_CLOSED = _("Voting has not closed yet.")
NO_RESULTS = _("The results must be published before the decision.")
ALREADY_DECIDED = _("The winners of this ballot have already been confirmed.")
DEPARTURE_NEEDS_REASON = _("Give a reason for each departure from the counted winners: %(titles)s.")
DECISION_OVER_BUDGET = _("The confirmed winners cost %(total)s, more than the %(money)s available.")
IDENTIFIER_REQUIRED = _("Enter the personal identifier from the identity document.")
ROW_REFUSED = _("Row %(row)s: %(why)s")
IDENTITY_TAKEN = _("This identity is already linked to another account.")
IDENTITY_MISMATCH = _(
    "This account has already been verified with a different identity. One account is one "
    "person; the verification cannot be changed."
)
CANNOT_VERIFY_SELF = _("A clerk cannot verify their own account. Ask another clerk.")
NO_ELECTION_KEY = _(
    "This ballot has no election key yet, so no vote can be sealed. The coordinator sets "
    "the election passphrase when creating the ballot."
)
COUNT_MISMATCH = "ballot %(ballot)s: %(votes)s counted votes for %(roll)s voter roll entries"

# Fields that cannot change once a vote exists: changing them would change what the
# votes already cast meant.
LOCKED_FIELDS = (
    "money",
    "area",
    "selection_rule",
    "min_choices",
    "max_choices",
    "counting_rule",
    "add1_step",
    "min_age",
    "max_age",
    "residency",
    "identity_level",
    "opens_at",
    "closes_at",
    "group",
    "tie_break_seed",
)
GROUP_LOCKED = _(
    "Votes have already been cast in this ballot group, so its rules and ballots can no "
    "longer change."
)
EXTENSION_NEEDS_REASON = _("Give a reason for extending the voting time.")
EXTENSION_NOT_LATER = _("An extension must move the closing time later than %(closes)s.")
EXTENSION_TOO_LATE = _("The results are already published: voting can no longer be extended.")


# ---------------------------------------------------------------------------------------
# Ballots
# ---------------------------------------------------------------------------------------


@transaction.atomic
def ballot_save(
    *,
    actor: User,
    ballot: Ballot,
    changed_fields: Iterable[str] = (),
    proposals: Iterable[Proposal] | None = None,
    passphrase: str = "",
) -> Ballot:
    """Create or change a ballot; once a vote exists its rules and proposals are frozen.

    A ballot without an election key gets one from `passphrase`: only the public key and
    the salt are kept, the passphrase itself is never stored.
    """
    require(actor, "voting.manage_ballots", ballot)
    changed = set(changed_fields)
    creating = ballot.pk is None
    before: dict[str, Any] = {}
    if not creating:
        stored = Ballot.objects.select_for_update().get(pk=ballot.pk)
        has_votes = ballot_has_votes(stored)
        proposal_change = proposals is not None and {p.pk for p in proposals} != set(
            stored.proposals.values_list("pk", flat=True)
        )
        if has_votes and (changed & set(LOCKED_FIELDS) or proposal_change):
            raise ValidationError(BALLOT_LOCKED, code="locked")
        before = {name: getattr(stored, name) for name in changed}
        if (
            ballot.group_id != stored.group_id
            and ballot.group is not None
            and group_has_votes(ballot.group)
        ):
            raise ValidationError(GROUP_LOCKED, code="group_locked")
    elif ballot.group is not None and group_has_votes(ballot.group):
        raise ValidationError(GROUP_LOCKED, code="group_locked")
    if not ballot.public_key:
        if not passphrase:
            raise ValidationError(secrecy.PASSPHRASE_NEEDED, code="passphrase_needed")
        secrecy.check_new_passphrase(passphrase)
        ballot.key_salt = secrecy.new_key_salt()
        ballot.public_key = secrecy.public_key_text(
            secrecy.private_key_from_passphrase(passphrase, ballot.key_salt)
        )
    ballot.full_clean()
    ballot.save()
    if proposals is not None:
        wanted = list(proposals)
        earlier = set() if creating else set(ballot.proposals.values_list("pk", flat=True))
        ballot.proposals.set(wanted)
        added = {p.pk for p in wanted} - earlier
        if added:
            hooks.announce_news(hooks.NEWS_ON_BALLOT, subject=ballot, proposal_ids=added)
    audit_record(
        actor=actor,
        action=AuditAction.BALLOT_CREATE if creating else AuditAction.BALLOT_UPDATE,
        obj=ballot,
        changes=field_changes(before, {name: getattr(ballot, name) for name in changed}),
    )
    return ballot


def ballot_has_votes(ballot: Ballot) -> bool:
    """The voter roll is the one source of "has voted"; a vote freezes the ballot."""
    return VoterRoll.objects.filter(ballot=ballot).exists()


def group_has_votes(group: BallotGroup) -> bool:
    return VoterRoll.objects.filter(ballot__group=group).exists()


def proposal_is_frozen(proposal: Proposal) -> bool:
    """A proposal on a ballot that has votes keeps its cost (ideas asks through a hook)."""
    return VoterRoll.objects.filter(ballot__proposals=proposal).exists()


@transaction.atomic
def ballot_extend(*, actor: User, ballot: Ballot, closes_at: dt.datetime, reason: str) -> Ballot:
    """Move the closing time later, with a reason, even after votes: the one allowed change.

    Shortening is never allowed once voting has begun (it would silence late voters), and
    nothing moves after the results are published.
    """
    require(actor, "voting.manage_ballots", ballot)
    locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if not reason.strip():
        raise ValidationError(EXTENSION_NEEDS_REASON, code="reason_missing")
    if locked.results_published_at is not None or hasattr(locked, "decision"):
        raise ValidationError(EXTENSION_TOO_LATE, code="published")
    if closes_at <= locked.closes_at:
        raise ValidationError(
            EXTENSION_NOT_LATER,
            code="not_later",
            params={"closes": date_format(timezone.localtime(locked.closes_at), "DATETIME_FORMAT")},
        )
    before = locked.closes_at
    locked.closes_at = closes_at
    locked.full_clean()
    locked.save(update_fields=["closes_at"])
    audit_record(
        actor=actor,
        action=AuditAction.BALLOT_EXTEND,
        obj=locked,
        changes=field_changes({"closes_at": before}, {"closes_at": closes_at}),
        note=reason.strip(),
    )
    return locked


@transaction.atomic
def ballot_group_save(
    *, actor: User, group: BallotGroup, changed_fields: Iterable[str] = ()
) -> BallotGroup:
    """Create or change a ballot group; once any of its ballots has a vote, its rule stays."""
    require(actor, "voting.manage_ballots", group)
    changed = set(changed_fields)
    creating = group.pk is None
    before: dict[str, Any] = {}
    if not creating:
        stored = BallotGroup.objects.select_for_update().get(pk=group.pk)
        if changed & {"choice", "cycle"} and group_has_votes(stored):
            raise ValidationError(GROUP_LOCKED, code="group_locked")
        before = {name: getattr(stored, name) for name in changed}
    group.full_clean()
    group.save()
    audit_record(
        actor=actor,
        action=AuditAction.BALLOT_GROUP_CREATE if creating else AuditAction.BALLOT_GROUP_UPDATE,
        obj=group,
        changes=field_changes(before, {name: getattr(group, name) for name in changed}),
    )
    return group


# ---------------------------------------------------------------------------------------
# Eligibility
# ---------------------------------------------------------------------------------------


def _age_this_year(user: User, ballot: Ballot) -> int | None:
    return eligibility.age_in(ballot, user.birth_year)


def eligibility_problems(user: User, ballot: Ballot, at: dt.datetime | None = None) -> list[str]:
    """Why this person cannot vote on this ballot now, in their language; empty if they can.

    The same check (voting/eligibility.py) serves paper votes and imported sheets.
    """
    return eligibility.problems(ballot, eligibility.voter_of_user(user, ballot), at)


def validate_choices(
    ballot: Ballot, proposals: Sequence[Proposal], *, on_ballot: set[int] | None = None
) -> None:
    """The ballot's rule: total cost within the money (knapsack) or a count in range."""
    if on_ballot is None:
        on_ballot = set(ballot.proposals.values_list("pk", flat=True))
    if any(p.pk not in on_ballot for p in proposals):
        raise ValidationError(NOT_ON_BALLOT, code="not_on_ballot")
    count = len(proposals)
    if count < ballot.min_choices:
        raise ValidationError(TOO_FEW, code="too_few", params={"n": ballot.min_choices})
    if ballot.selection_rule == SelectionRule.KNAPSACK:
        total = sum((p.cost for p in proposals), Decimal(0))
        if total > ballot.money:
            raise ValidationError(
                OVER_BUDGET,
                code="over_budget",
                params={"total": format_euros(total), "money": format_euros(ballot.money)},
            )
    elif ballot.max_choices is not None and count > ballot.max_choices:
        raise ValidationError(TOO_MANY, code="too_many", params={"n": ballot.max_choices})


# ---------------------------------------------------------------------------------------
# Casting
# ---------------------------------------------------------------------------------------


def _proposals(ballot: Ballot, proposal_ids: Iterable[int]) -> list[Proposal]:
    ids = {int(pk) for pk in proposal_ids}
    found = list(Proposal.objects.filter(pk__in=ids))
    if len(found) != len(ids):
        raise ValidationError(NOT_ON_BALLOT, code="not_on_ballot")
    return found


def _choices_on_ballot(
    ballot: Ballot, proposal_ids: Iterable[int]
) -> tuple[list[Proposal], set[int]]:
    """The chosen proposals and the ids of all on the ballot, in one query."""
    ids = {int(pk) for pk in proposal_ids}
    on_ballot = list(ballot.proposals.only("pk", "cost"))
    chosen = [p for p in on_ballot if p.pk in ids]
    if len(chosen) != len(ids):
        raise ValidationError(NOT_ON_BALLOT, code="not_on_ballot")
    return chosen, {p.pk for p in on_ballot}


def _seal(
    ballot: Ballot,
    proposals: Sequence[Proposal],
    batch: PaperBatch | None = None,
    *,
    proposals_on_ballot: int | None = None,
) -> Vote:
    """Store one sealed vote. Its row says nothing about who cast it or when."""
    if proposals_on_ballot is None:
        proposals_on_ballot = ballot.proposals.count()
    return Vote.objects.create(
        ballot=ballot,
        sealed=secrecy.seal_choices(
            ballot.public_key,
            [p.pk for p in proposals],
            proposals_on_ballot=proposals_on_ballot,
        ),
        receipt_code=secrecy.new_receipt_code(),
        batch=batch,
    )


def _mix_later(ballot_id: int) -> None:
    """Ask for a mix of the ballot, at most once per VOTE_MIX_INTERVAL from this cache:
    the task would skip the others anyway (votes_mix's throttle), and each request was a
    broker message and a database write per vote. The beat task mixes what is left."""
    from .tasks import votes_mix_task

    interval = settings.VOTE_MIX_INTERVAL
    if interval and not cache.add(f"voting:mix-asked:{ballot_id}", 1, interval):
        return
    enqueue(votes_mix_task, ballot_id)


def _lock_for_casting(ballot: Ballot, *, shared: bool = False) -> Ballot:
    """Lock the ballot and, for a ballot in a group, the group: parallel votes on two
    ballots of one group are then taken one at a time, so the group check sees the other.
    (The roll's per-group unique constraints back this up.)

    With `shared`, the ballot's row is locked FOR SHARE: votes on one ballot then go in
    parallel (the roll's unique constraints keep one row per person), while a change to
    the ballot or a mix (FOR UPDATE) still waits for them, and they for it."""
    if shared:
        locked = next(
            iter(
                Ballot.objects.raw(
                    "SELECT * FROM voting_ballot WHERE id = %s FOR SHARE", [ballot.pk]
                )
            ),
            None,
        )
        if locked is None:
            raise Ballot.DoesNotExist
    else:
        locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if locked.group_id is not None:
        BallotGroup.objects.select_for_update().get(pk=locked.group_id)
    if not locked.public_key:
        raise ValidationError(NO_ELECTION_KEY, code="no_key")
    return locked


def vote_cast(
    *,
    actor: User,
    ballot: Ballot,
    proposal_ids: Iterable[int],
    wants_results: bool = False,
    at: dt.datetime | None = None,
) -> Vote:
    """Cast or replace a vote in one step; the receipt code goes out by e-mail.

    The voter roll has one row per person and ballot. A new vote is sealed and the roll's
    sealed pointer moves to it; the vote it replaces stays unreadable until counting, which
    keeps only the votes the pointers name (docs/ballot-secrecy.md).
    """
    require(actor, "voting.cast_vote", ballot)
    arguments: dict[str, Any] = {
        "actor": actor,
        "ballot": ballot,
        "proposal_ids": list(proposal_ids),
        "wants_results": wants_results,
        "at": at,
    }
    # A parallel first cast by the same account may add its roll row first (casts on one
    # ballot run in parallel): then again, the roll row is there and this vote replaces
    # it. Refusals that remain are another person's row (identity or ballot group). Each
    # attempt is its own savepoint, so the request can still answer.
    for _attempt in range(CAST_ATTEMPTS - 1):
        try:
            return _cast(**arguments)
        except IntegrityError:
            continue
    try:
        return _cast(**arguments)
    except IntegrityError:
        raise ValidationError(ALREADY_VOTED, code="already_voted") from None


# Tries of a cast that meets a parallel first cast's roll row (see vote_cast).
CAST_ATTEMPTS = 4


@transaction.atomic
def _cast(
    *,
    actor: User,
    ballot: Ballot,
    proposal_ids: Iterable[int],
    wants_results: bool,
    at: dt.datetime | None,
) -> Vote:
    # Parallel casts on one ballot share its lock; changes to the ballot and the mix wait
    # for them (and they for those). A ballot in a group still takes the group's lock.
    locked = _lock_for_casting(ballot, shared=True)
    # The ballot decides whether an electronic identification's facts replace the profile.
    voter = eligibility.voter_of_user(actor, locked)
    problems = eligibility.problems(locked, voter, at)
    if problems:
        raise ValidationError(problems, code="ineligible")
    proposals, on_ballot = _choices_on_ballot(locked, proposal_ids)
    validate_choices(locked, proposals, on_ballot=on_ballot)
    identity_hash = voter.identity_hash
    # A verified person is one voter whichever way they voted: a paper vote, or a vote
    # from another account, under the same identity is final.
    if (
        identity_hash
        and VoterRoll.objects.filter(ballot=locked, identity_hash=identity_hash)
        .exclude(user=actor)
        .exists()
    ):
        raise ValidationError(ALREADY_VOTED, code="already_voted")
    vote = _seal(locked, proposals, proposals_on_ballot=len(on_ballot))
    fields = {
        "identity_hash": identity_hash,
        "channel": Channel.WEB,
        "age_band": age_band(eligibility.age_in(locked, voter.birth_year)),
        "area": voter.area,
        "group_id": locked.group_id,
        "voted_on": timezone.localdate(at or timezone.now()),
        "wants_results": wants_results,
        "sealed_pointer": secrecy.seal_pointer(locked.public_key, vote.id),
    }
    # Update the account's roll row, or add it: two statements at most and no savepoints
    # (update_or_create took five). A parallel first cast that inserts the same row makes
    # this INSERT fail on the unique constraint, which vote_cast turns into ALREADY_VOTED.
    if not VoterRoll.objects.filter(ballot=locked, user=actor).update(**fields):
        VoterRoll.objects.create(ballot=locked, user=actor, **fields)
    # No audit entry per vote: one with the voter and a time would order the votes. The
    # roll is the record of who voted, by day.
    notify(
        user=actor,
        template="voting_receipt",
        context={"ballot": locked, "receipt_code": vote.receipt_code},
        sensitive=True,
    )
    _mix_later(locked.pk)
    return vote


@transaction.atomic
def votes_mix(*, ballot_id: int, throttle: bool = False) -> int:
    """Rewrite a ballot's votes in shuffled order in one transaction of its own.

    Afterwards every vote row has this transaction's xmin and a random place in the table,
    so neither the xmin of a roll row nor the physical order lines a vote up with a voter.
    Returns how many votes were rewritten (none if all were mixed already).

    With `throttle` (after a cast) a ballot is rewritten at most once per
    VOTE_MIX_INTERVAL seconds: a full rewrite per vote would grow with the square of
    the turnout. The beat task then catches the votes cast in between.
    """
    interval = settings.VOTE_MIX_INTERVAL
    if throttle and interval and not cache.add(f"voting:mix:{ballot_id}", 1, interval):
        return 0
    Ballot.objects.select_for_update().get(pk=ballot_id)
    if not Vote.objects.filter(ballot_id=ballot_id, mixed=False).exists():
        return 0
    return _mix(ballot_id)


def _mix(ballot_id: int) -> int:
    votes = list(Vote.objects.filter(ballot_id=ballot_id))
    Vote.objects.filter(ballot_id=ballot_id).delete()
    secrets.SystemRandom().shuffle(votes)
    for vote in votes:
        vote.mixed = True
    Vote.objects.bulk_create(votes, batch_size=1000)
    return len(votes)


def votes_mix_pending() -> int:
    """Mix every ballot with a vote not yet mixed (beat runs this; casting also asks)."""
    ballot_ids = set(Vote.objects.filter(mixed=False).values_list("ballot_id", flat=True))
    return sum(votes_mix(ballot_id=pk) for pk in sorted(ballot_ids))


@transaction.atomic
def votes_mix_all() -> int:
    """Mix every ballot's votes (the anonymised copy does this once)."""
    return sum(_mix(pk) for pk in Ballot.objects.values_list("pk", flat=True))


def _rekey_identity(hashes: Sequence[str]) -> None:
    """Move a person's hashes made under a retired VOTE_SECRET to the current one, on the
    roll and on their verified account alike: an account still carrying the old hash would
    otherwise not see a paper vote recorded under the new one, and vote a second time."""
    current, retired = hashes[0], list(hashes[1:])
    if retired:
        VerifiedIdentity.objects.filter(identity_hash__in=retired).update(identity_hash=current)
        VoterRoll.objects.filter(identity_hash__in=retired).update(identity_hash=current)


def _carry_identity_to_roll(user: User, hashes: Sequence[str]) -> None:
    """The roll knows the person by their current identity hash.

    Rows made under a retired VOTE_SECRET are re-keyed; the account's own rows learn the
    identity, unless that identity already voted on the ballot (or its group) on paper
    or from another account: then both stay as they are and no vote is carried over.
    """
    current = hashes[0]
    _rekey_identity(hashes)
    for row in (
        VoterRoll.objects.select_for_update().filter(user=user).exclude(identity_hash=current)
    ):
        try:
            with transaction.atomic():
                VoterRoll.objects.filter(pk=row.pk).update(identity_hash=current)
        except IntegrityError:
            continue


@transaction.atomic
def identity_verify_in_person(*, clerk: User, user: User, identifier: str) -> VerifiedIdentity:
    """A clerk checked an identity document; the account reaches the in-person level.

    One identity per person and account, for good: an account verified once cannot be
    re-verified with a different identifier, and a clerk cannot verify their own account.
    """
    require(clerk, "voting.verify_identity", user)
    if clerk.pk == user.pk:
        raise ValidationError(CANNOT_VERIFY_SELF, code="self")
    if not identifier.strip():
        raise ValidationError(IDENTIFIER_REQUIRED, code="identifier_required")
    hashes = secrecy.identity_hashes(eligibility.identifier_clean(identifier).value)
    hashed = hashes[0]
    User.objects.select_for_update().get(pk=user.pk)
    existing = VerifiedIdentity.objects.filter(user=user).first()
    if existing is not None and existing.identity_hash not in hashes:
        raise ValidationError(IDENTITY_MISMATCH, code="identity_mismatch")
    if VerifiedIdentity.objects.filter(identity_hash__in=hashes).exclude(user=user).exists():
        raise ValidationError(IDENTITY_TAKEN, code="identity_taken")
    if existing is not None and existing.method == IdentityLevel.STRONG:
        # Suomi.fi already proved more; the clerk's check confirms it and lowers nothing.
        _carry_identity_to_roll(user, hashes)
        return existing
    record, _created = VerifiedIdentity.objects.update_or_create(
        user=user,
        defaults={
            "method": IdentityLevel.IN_PERSON,
            "source": IdentitySource.CLERK,
            "identity_hash": hashed,
            "verified_by": clerk,
            "verified_at": timezone.now(),
        },
    )
    _carry_identity_to_roll(user, hashes)
    audit_record(
        actor=clerk,
        action=AuditAction.IDENTITY_VERIFY_IN_PERSON,
        obj=user,
        note=f"verified by {clerk.get_full_name() or clerk.email}",
    )
    return record


@transaction.atomic
def identity_verify_electronic(
    *,
    user: User,
    source: str,
    level: str,
    identity_hashes: Sequence[str],
    birth_year: int | None = None,
    municipality_code: str = "",
    postal_code: str = "",
    school_code: str = "",
    school_name: str = "",
) -> VerifiedIdentity:
    """An electronic identification (Suomi.fi, MPASSid) has identified the account's holder.

    The identifier becomes the same keyed hash a clerk records, so one person is one voter
    whichever way they were identified (`identity_hashes` from secrecy.identity_hashes: the
    identifier itself never reaches this layer or the session). Only the few facts
    eligibility needs are kept. The same rules as at a service point: one identity per
    account and per person, for good.
    """
    hashes = list(identity_hashes)
    User.objects.select_for_update().get(pk=user.pk)
    existing = VerifiedIdentity.objects.filter(user=user).first()
    if existing is not None and existing.identity_hash not in hashes:
        raise ValidationError(IDENTITY_MISMATCH, code="identity_mismatch")
    if VerifiedIdentity.objects.filter(identity_hash__in=hashes).exclude(user=user).exists():
        raise ValidationError(IDENTITY_TAKEN, code="identity_taken")
    if existing is not None and identity.ORDER.index(
        IdentityLevel(existing.method)
    ) > identity.ORDER.index(IdentityLevel(level)):
        level = existing.method  # a weaker check never lowers what was proven
    record, _created = VerifiedIdentity.objects.update_or_create(
        user=user,
        defaults={
            "method": level,
            "source": source,
            "identity_hash": hashes[0],
            "verified_by": None,
            "verified_at": timezone.now(),
            "birth_year": birth_year,
            "municipality_code": municipality_code,
            "postal_code": postal_code,
            "school_code": school_code,
            "school_name": school_name,
        },
    )
    _carry_identity_to_roll(user, hashes)
    audit_record(actor=user, action=AuditAction(f"identity.verify_{source}"), obj=user, note=level)
    return record


@transaction.atomic
def paper_vote_record(
    *,
    clerk: User,
    ballot: Ballot,
    identifier: str,
    proposal_ids: Iterable[int],
    birth_year: int | None = None,
    postal_code: str = "",
    at: dt.datetime | None = None,
) -> Vote:
    """A clerk enters a paper ballot after checking the voter's identity in person.

    Refused if the same person (by identifier, under the current or a retired secret) has
    voted already, on paper or online with an account that carries the same verified
    identity. A paper vote is final: no account can see or replace it.
    """
    require(clerk, "voting.record_paper_votes", ballot)
    if not identifier.strip():
        raise ValidationError(IDENTIFIER_REQUIRED, code="identifier_required")
    voter = eligibility.paper_voter(
        identifier=identifier, birth_year=birth_year, postal_code=postal_code
    )
    locked = _lock_for_casting(ballot)
    eligibility.check(locked, voter, at)
    hashes = secrecy.identity_hashes(eligibility.identifier_clean(identifier).value)
    hashed = hashes[0]
    _rekey_identity(hashes)
    if VoterRoll.objects.filter(ballot=locked, identity_hash__in=hashes).exists():
        raise ValidationError(ALREADY_VOTED, code="already_voted")
    if (
        locked.group_id is not None
        and VoterRoll.objects.filter(group_id=locked.group_id, identity_hash__in=hashes).exists()
    ):
        raise ValidationError(ALREADY_VOTED, code="already_voted")
    proposals = _proposals(locked, proposal_ids)
    validate_choices(locked, proposals)
    today = timezone.localdate(at or timezone.now())
    area = voter.area
    age = eligibility.age_in(locked, voter.birth_year)
    vote = _seal(locked, proposals)
    try:
        with transaction.atomic():
            VoterRoll.objects.create(
                ballot=locked,
                identity_hash=hashed,
                channel=Channel.PAPER,
                age_band=age_band(age),
                area=area,
                group_id=locked.group_id,
                voted_on=today,
                sealed_pointer=secrecy.seal_pointer(locked.public_key, vote.id),
            )
    except IntegrityError:
        raise ValidationError(ALREADY_VOTED, code="already_voted") from None
    audit_record(actor=clerk, action=AuditAction.VOTE_PAPER, obj=locked)
    _mix_later(locked.pk)
    return vote


@transaction.atomic
def paper_votes_import(
    *, actor: User, ballot: Ballot, source_name: str, rows: Sequence[dict[str, Any]]
) -> PaperBatch:
    """Counted paper ballots from a CSV, all or nothing; each is marked with its batch.

    Rows carry no identity (the ballots were anonymous when counted): each is a sealed
    vote of its own, and the roll records only the coarse statistics the sheet gives.
    """
    require(actor, "voting.import_paper_votes", ballot)
    locked = _lock_for_casting(ballot)
    refused = eligibility.import_problems(locked)
    if refused:
        raise ValidationError(refused, code="import_refused")
    batch = PaperBatch.objects.create(ballot=locked, imported_by=actor, source_name=source_name)
    on_ballot = {p.pk: p for p in locked.proposals.all()}
    areas = {pc.code: pc.area for pc in PostalCode.objects.select_related("area")}
    today = timezone.localdate()
    roll = []
    for number, row in enumerate(rows, start=1):
        proposals = [on_ballot[pk] for pk in row["proposal_ids"] if pk in on_ballot]
        if len(proposals) != len(row["proposal_ids"]):
            raise ValidationError(NOT_ON_BALLOT, code="not_on_ballot")
        validate_choices(locked, proposals)
        sheet = eligibility.voter_on_sheet(
            age_band=row.get("age_band", ""), postal_code=row.get("postal_code", "")
        )
        row_problems = eligibility.problems(locked, sheet)
        if row_problems:
            raise ValidationError(
                ROW_REFUSED,
                code="ineligible",
                params={"row": number, "why": " ".join(row_problems)},
            )
        vote = _seal(locked, proposals, batch)
        roll.append(
            VoterRoll(
                ballot=locked,
                channel=Channel.IMPORT,
                age_band=row.get("age_band", ""),
                area=areas.get(row.get("postal_code", "")),
                voted_on=today,
                sealed_pointer=secrecy.seal_pointer(locked.public_key, vote.id),
            )
        )
    VoterRoll.objects.bulk_create(roll, batch_size=1000)
    batch.count = len(rows)
    batch.save(update_fields=["count"])
    audit_record(
        actor=actor, action=AuditAction.VOTE_IMPORT, obj=locked, note=f"{source_name}: {len(rows)}"
    )
    _mix_later(locked.pk)
    return batch


# ---------------------------------------------------------------------------------------
# Results and the decision
# ---------------------------------------------------------------------------------------


@transaction.atomic
def results_publish(
    *, actor: User, ballot: Ballot, passphrase: str, at: dt.datetime | None = None
) -> BallotResult:
    """Open the sealed votes with the election passphrase, count the closed ballot by its
    rule and publish the result (recounts replace it).

    The count keeps the votes the roll's sealed pointers name and drops the replaced ones;
    from then on the kept votes are final, the pointers are erased and the votes are
    rewritten in shuffled order, so not even the private key links a voter to a vote.
    """
    from .selectors import ballot_count, ballot_explanation, ballot_turnout, votes_counted

    require(actor, "voting.publish_results", ballot)
    locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if (at or timezone.now()) < locked.closes_at:
        raise ValidationError(NOT_CLOSED, code="not_closed")
    if hasattr(locked, "decision"):
        raise ValidationError(ALREADY_DECIDED, code="decided")
    private_key = secrecy.election_key(
        passphrase=passphrase, salt=locked.key_salt, public_key=locked.public_key
    )
    counted_ids = votes_counted(locked, private_key)
    result, profile = ballot_count(locked, private_key=private_key)
    roll = VoterRoll.objects.filter(ballot=locked).count()
    if len(profile) != roll or len(counted_ids) != roll:
        raise RuntimeError(
            COUNT_MISMATCH % {"ballot": locked.pk, "votes": len(profile), "roll": roll}
        )
    Vote.objects.filter(ballot=locked).exclude(pk__in=counted_ids).delete()
    Vote.objects.filter(ballot=locked).update(final=True)
    VoterRoll.objects.filter(ballot=locked).update(sealed_pointer=None)
    _mix(locked.pk)
    stored, _created = BallotResult.objects.update_or_create(
        ballot=locked,
        defaults={
            "rule": locked.counting_rule,
            "data": {
                **result.as_dict(),
                "explanation": ballot_explanation(locked, result, profile),
            },
            "turnout": ballot_turnout(locked),
            "votes_counted": len(profile),
            "ballots": profile,
            "counted_at": timezone.now(),
        },
    )
    locked.results_published_at = timezone.now()
    locked.save(update_fields=["results_published_at"])
    audit_record(
        actor=actor,
        action=AuditAction.BALLOT_PUBLISH_RESULTS,
        obj=locked,
        note=f"votes counted: {len(profile)}; winners: {', '.join(result.winners)}",
    )
    return stored


@transaction.atomic
def winners_decide(
    *,
    actor: User,
    ballot: Ballot,
    decided_on: dt.date,
    decision_number: str,
    rationale: str,
    winner_ids: Iterable[int],
    departure_reasons: dict[int, str] | None = None,
) -> WinnerDecision:
    """The decision maker confirms the winners; any departure from the count needs a reason.

    Confirmed proposals become "selected for implementation", the rest "not selected";
    submitters of the source ideas and voters who asked are told.
    """
    require(actor, "voting.decide_winners", ballot)
    locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if hasattr(locked, "decision"):
        raise ValidationError(ALREADY_DECIDED, code="decided")
    result = getattr(locked, "result", None)
    if result is None:
        raise ValidationError(NO_RESULTS, code="no_results")
    reasons = {int(k): v.strip() for k, v in (departure_reasons or {}).items() if v.strip()}
    on_ballot = {p.pk: p for p in locked.proposals.all()}
    chosen = {int(pk) for pk in winner_ids if int(pk) in on_ballot}
    computed = {int(pk) for pk in result.data["winners"]}
    departures = []
    missing = []
    for pk in sorted(chosen ^ computed):
        action = "added" if pk in chosen else "removed"
        if pk not in reasons:
            missing.append(on_ballot[pk].title)
        else:
            departures.append({"proposal": pk, "action": action, "reason": reasons[pk]})
    if missing:
        raise ValidationError(
            DEPARTURE_NEEDS_REASON, code="reason_missing", params={"titles": ", ".join(missing)}
        )
    total = sum((on_ballot[pk].cost for pk in chosen), Decimal(0))
    if total > locked.money:
        raise ValidationError(
            DECISION_OVER_BUDGET,
            code="over_budget",
            params={"total": format_euros(total), "money": format_euros(locked.money)},
        )
    decision = WinnerDecision.objects.create(
        ballot=locked,
        decided_by=actor,
        decided_on=decided_on,
        decision_number=decision_number.strip(),
        rule_used=result.rule,
        rationale=rationale.strip(),
        computed_winners=sorted(computed),
        departures=departures,
    )
    decision.confirmed.set([on_ballot[pk] for pk in chosen])
    hooks.announce(hooks.WINNERS_DECIDED, ballot_id=locked.pk)
    for pk, proposal in on_ballot.items():
        proposal.status = ProposalStatus.SELECTED if pk in chosen else ProposalStatus.NOT_SELECTED
        proposal.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=AuditAction.BALLOT_DECIDE,
        obj=locked,
        note=f"{decision.decision_number}: {sorted(chosen)}",
    )
    told = _tell_about_decision(locked, decision, on_ballot, chosen)
    if chosen:
        hooks.announce_news(hooks.NEWS_WON, subject=locked, proposal_ids=chosen, already_told=told)
    return decision


def _tell_about_decision(ballot, decision, on_ballot, chosen) -> set[int]:
    """E-mail the submitters and the voters who asked; returns whom it told."""
    told: set[tuple[int, int]] = set()
    told_people: set[int] = set()
    for pk, proposal in on_ballot.items():
        for idea in proposal.source_ideas.select_related("submitter"):
            if idea.submitter_id and (idea.submitter_id, pk) not in told:
                told.add((idea.submitter_id, pk))
                told_people.add(idea.submitter_id)
                notify(
                    user=idea.submitter,
                    template="voting_idea_decided",
                    context={
                        "ballot": ballot,
                        "proposal": proposal,
                        "idea": idea,
                        "selected": pk in chosen,
                    },
                )
    voters = User.objects.filter(
        pk__in=VoterRoll.objects.filter(ballot=ballot, wants_results=True).values("user")
    )
    for voter in voters:
        sent = notify(
            user=voter,
            template="voting_results",
            essential=False,
            context={
                "ballot": ballot,
                "decision": decision,
                "winners": [on_ballot[pk] for pk in sorted(chosen)],
            },
        )
        if sent is not None:
            told_people.add(voter.pk)
    return told_people

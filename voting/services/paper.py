"""Paper votes: one recorded by a clerk, or a batch imported from a file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omakouvola.audit import AuditAction
from omakouvola.models import PostalCode, User
from omakouvola.rules import require
from omakouvola.services import audit_record

from .. import eligibility, secrecy
from ..models import (
    Ballot,
    Channel,
    PaperBatch,
    Vote,
    VoterRoll,
    age_band,
)
from .casting import (
    ALREADY_VOTED,
    NOT_ON_BALLOT,
    chosen_proposals,
    lock_for_casting,
    mix_later,
    seal_vote,
    validate_choices,
)
from .identities import IDENTIFIER_REQUIRED, _rekey_identity

ROW_REFUSED = _("Row %(row)s: %(why)s")


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
    locked = lock_for_casting(ballot)
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
    proposals = chosen_proposals(locked, proposal_ids)
    validate_choices(locked, proposals)
    today = timezone.localdate(at or timezone.now())
    area = voter.area
    age = eligibility.age_in(locked, voter.birth_year)
    vote = seal_vote(locked, proposals)
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
    mix_later(locked.pk)
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
    locked = lock_for_casting(ballot)
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
        vote = seal_vote(locked, proposals, batch)
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
    mix_later(locked.pk)
    return batch

"""One-time voting codes: batches printed for a place, and a vote cast with one code.

The services of the code channel, beside `services/` (whose casting helpers, in
`services/casting.py`, they use).
meinBerlin's voting codes are the model: the coordinator prints a batch of slips for a
school, a library or a village evening and hands them out in person; a code casts one
vote, without an account, and that vote cannot be changed.

Secrecy (docs/ballot-secrecy.md, "One-time voting codes"): a code is stored only as a
keyed hash, like a personal identifier; a code row says whether it voted, never which
vote; the vote is sealed, mixed and pointed to from its roll row like any other.

The ballot's rules, as the batch's place implies them (the recipients are not known by
name): the voting window; no ballot that needs strong identification (a slip handed
over in person is the in-person level); for an area ballot (or a home-area group) the
batch's area must be the ballot's; for a ballot with age limits the batch states the
ages of its recipients (a school class, say), which must lie within the limits. The
place is taken to be in Kouvola, which covers "lives in Kouvola".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omakouvola.audit import AuditAction
from omakouvola.models import Area, User
from omakouvola.outbox import enqueue
from omakouvola.rules import require
from omakouvola.services import audit_record

from . import eligibility, secrecy
from .models import (
    MAX_CODES_PER_BATCH,
    Ballot,
    Channel,
    CodeBatch,
    CodeBatchStatus,
    IdentityLevel,
    Vote,
    VoterRoll,
    VotingCode,
    age_band,
)
from .services.casting import (
    NO_ELECTION_KEY,
    chosen_proposals,
    lock_for_casting,
    mix_later,
    seal_vote,
)
from .services.casting import validate_choices as _validate_choices

CODE_UNKNOWN = _("This voting code is not valid. Check the code on your slip.")
CODE_USED = _("This voting code has already been used. Each code casts one vote.")
CODE_VOIDED = _("This voting code no longer works: its batch was cancelled.")
CODE_OTHER_BALLOT = _("This voting code is for another ballot.")
CODE_NEEDED = _("Enter the voting code from your slip.")
BATCH_SIZE = _("A batch has between 1 and %(max)s codes.")
BATCH_TOO_LATE = _("Voting on %(ballot)s has closed: no more codes can be printed for it.")
BATCH_STRONG = _(
    "This ballot needs strong electronic identification, so it cannot be voted on with codes."
)
BATCH_AREA = _(
    "This ballot is for the residents of %(area)s: the codes must be handed out at a place "
    "in %(area)s (choose the area)."
)
BATCH_AGES_NEEDED = _(
    "This ballot has age limits (%(low)s–%(high)s): give the ages of the people who get the "
    "codes, within the limits."
)
BATCH_AGES_OUTSIDE = _(
    "The ages %(low)s–%(high)s are outside this ballot's age limits (%(min)s–%(max)s)."
)
BATCH_ALREADY_VOIDED = _("This batch has already been voided.")
BATCH_NOT_READY = _("The slips of this batch are not printed yet.")

CODE_LENGTH = 12  # 32 symbols: 60 bits, so guessing one of 2 000 live codes takes ~2^49 tries


# ---------------------------------------------------------------------------------------
# The codes
# ---------------------------------------------------------------------------------------


def new_code() -> str:
    raw = "".join(secrets.choice(secrecy.RECEIPT_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(code: str) -> str:
    """Upper case, ASCII letters and digits only (no spaces or dashes); the alphabet has
    no 0/O or 1/I, so nothing is misread."""
    raw = "".join(ch for ch in code.upper() if ch.isascii() and ch.isalnum())
    return raw if len(raw) == CODE_LENGTH else ""


def _code_mac(secret: str, normalised: str) -> str:
    if not secret:
        raise RuntimeError("VOTE_SECRET is not set")
    return hmac.new(
        secret.encode(), f"voting-code:{normalised}".encode(), hashlib.sha256
    ).hexdigest()


def code_hashes(code: str) -> list[str]:
    """The code's keyed hash under the current VOTE_SECRET and every retired one."""
    normalised = normalise_code(code)
    if not normalised:
        return []
    keys = [settings.VOTE_SECRET, *getattr(settings, "VOTE_SECRET_FALLBACKS", [])]
    return [_code_mac(key, normalised) for key in keys if key]


# ---------------------------------------------------------------------------------------
# The ballot's rules for a batch
# ---------------------------------------------------------------------------------------


def batch_problems(
    ballot: Ballot,
    *,
    area: Area | None,
    min_age: int | None,
    max_age: int | None,
    at: dt.datetime | None = None,
) -> list[str]:
    """Why codes for these recipients cannot vote on this ballot; empty if they can."""
    found: list[str] = []
    if not ballot.is_open(at) and (at or timezone.now()) >= ballot.closes_at:
        found.append(str(BATCH_TOO_LATE % {"ballot": ballot.name}))
    if ballot.identity_level == IdentityLevel.STRONG:
        found.append(str(BATCH_STRONG))
    area_ballot = ballot.area if eligibility.needs_area(ballot) else None
    if area_ballot is not None and (area is None or area.pk != area_ballot.pk):
        found.append(str(BATCH_AREA % {"area": area_ballot.localized_name}))
    if eligibility.needs_age(ballot):
        low = ballot.min_age if ballot.min_age is not None else 0
        high = ballot.max_age if ballot.max_age is not None else 200
        shown = {"low": low, "high": high if ballot.max_age is not None else "…"}
        if (ballot.min_age is not None and min_age is None) or (
            ballot.max_age is not None and max_age is None
        ):
            found.append(str(BATCH_AGES_NEEDED % shown))
        elif (min_age is not None and min_age < low) or (max_age is not None and max_age > high):
            found.append(
                str(
                    BATCH_AGES_OUTSIDE
                    % {
                        "low": min_age if min_age is not None else 0,
                        "high": max_age if max_age is not None else "…",
                        "min": shown["low"],
                        "max": shown["high"],
                    }
                )
            )
    return found


def _recipients_band(batch: CodeBatch) -> str:
    """The turnout's age band, when every recipient falls in one band."""
    if batch.min_age is None or batch.max_age is None:
        return ""
    band = age_band(batch.min_age)
    return band if band == age_band(batch.max_age) else ""


# ---------------------------------------------------------------------------------------
# Batches
# ---------------------------------------------------------------------------------------


@transaction.atomic
def code_batch_create(
    *,
    actor: User,
    ballot: Ballot,
    place: str,
    size: int,
    area: Area | None = None,
    min_age: int | None = None,
    max_age: int | None = None,
    at: dt.datetime | None = None,
) -> CodeBatch:
    """Queue a batch of codes for a place; a worker makes the codes and prints the slips."""
    from .tasks import code_batch_print_task

    require(actor, "voting.manage_ballots")
    locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if not 1 <= size <= MAX_CODES_PER_BATCH:
        raise ValidationError(BATCH_SIZE, code="size", params={"max": MAX_CODES_PER_BATCH})
    if not locked.public_key:
        raise ValidationError(NO_ELECTION_KEY, code="no_key")
    problems = batch_problems(locked, area=area, min_age=min_age, max_age=max_age, at=at)
    if problems:
        raise ValidationError(problems, code="ineligible")
    batch = CodeBatch(
        ballot=locked,
        place=place.strip(),
        size=size,
        area=area,
        min_age=min_age,
        max_age=max_age,
        created_by=actor,
    )
    batch.full_clean()
    batch.save()
    audit_record(
        actor=actor, action=AuditAction.CODE_BATCH_CREATE, obj=batch, note=f"{batch.place}: {size}"
    )
    enqueue(code_batch_print_task, batch.pk)
    return batch


def _voting_address() -> str:
    return f"{settings.OMAKOUVOLA_SITE_URL.rstrip('/')}/fi/voting/code/"


def _qr_svg(text: str) -> str:
    """A QR code as inline SVG (qrcode's path image: vector, sharp when printed)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=1)
    # qrcode names every path id="qr-path"; many on one page are duplicate anchors.
    return image.to_string(encoding="unicode").replace(' id="qr-path"', "")


def code_batch_print(*, batch_id: int) -> CodeBatch:
    """Make the batch's codes, print them on slips, keep only their hashes; run in a task.

    The codes exist in clear only in this function and in the PDF. A run that dies
    halfway leaves the batch QUEUED with no usable code; the next run starts afresh.
    """
    from .pdf import render_slips

    batch = CodeBatch.objects.select_related("ballot", "area").get(pk=batch_id)
    if batch.status != CodeBatchStatus.QUEUED:
        return batch
    codes: set[str] = set()
    while len(codes) < batch.size:
        codes.add(new_code())
    printed = list(codes)
    secrets.SystemRandom().shuffle(printed)
    address = _voting_address()
    slips = [{"code": code, "qr": _qr_svg(f"{address}#{code}")} for code in printed]
    pdf = render_slips(batch=batch, slips=slips, address=address)
    with transaction.atomic():
        locked = CodeBatch.objects.select_for_update().get(pk=batch_id)
        if locked.status != CodeBatchStatus.QUEUED:
            return locked
        rows = [
            VotingCode(batch=locked, code_hash=code_hashes(code)[0])
            for code in secrets.SystemRandom().sample(printed, len(printed))
        ]
        VotingCode.objects.filter(batch=locked).delete()
        VotingCode.objects.bulk_create(rows, batch_size=1000)
        locked.pdf.save(
            f"voting/codes/batch-{locked.pk}-{secrets.token_hex(8)}.pdf",
            ContentFile(pdf),
            save=False,
        )
        locked.status = CodeBatchStatus.READY
        locked.error = ""
        locked.save(update_fields=["pdf", "status", "error"])
        audit_record(actor=None, action=AuditAction.CODE_BATCH_READY, obj=locked)
    return locked


def code_batch_give_up(*, batch_id: int, error: str) -> None:
    CodeBatch.objects.filter(pk=batch_id, status=CodeBatchStatus.QUEUED).update(
        status=CodeBatchStatus.FAILED, error=error[:2000]
    )


def _erase_pdf_on_commit(batch: CodeBatch) -> None:
    name = batch.pdf.name
    if name:
        storage = batch.pdf.storage
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def code_batch_void(*, actor: User, batch: CodeBatch) -> CodeBatch:
    """Stop the batch's unused codes (lost slips, a cancelled evening); cast votes stay."""
    require(actor, "voting.manage_ballots")
    locked = CodeBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status == CodeBatchStatus.VOIDED:
        raise ValidationError(BATCH_ALREADY_VOIDED, code="voided")
    used = VotingCode.objects.filter(batch=locked, used=True).count()
    _erase_pdf_on_commit(locked)
    locked.status = CodeBatchStatus.VOIDED
    locked.voided_at = timezone.now()
    locked.pdf = ""
    locked.save(update_fields=["status", "voided_at", "pdf"])
    audit_record(
        actor=actor,
        action=AuditAction.CODE_BATCH_VOID,
        obj=locked,
        note=f"{locked.place}: {used} of {locked.size} used",
    )
    return locked


@transaction.atomic
def code_batch_erase_pdf(*, actor: User, batch: CodeBatch) -> CodeBatch:
    """Delete the printed slips' file once they are printed: it holds the codes in clear."""
    require(actor, "voting.manage_ballots")
    locked = CodeBatch.objects.select_for_update().get(pk=batch.pk)
    _erase_pdf_on_commit(locked)
    locked.pdf = ""
    locked.save(update_fields=["pdf"])
    audit_record(actor=actor, action=AuditAction.CODE_BATCH_ERASE_PDF, obj=locked)
    return locked


def code_batch_download(*, actor: User, batch: CodeBatch) -> CodeBatch:
    """Who downloaded the slips, and when, is in the audit log."""
    require(actor, "voting.manage_ballots")
    if batch.status != CodeBatchStatus.READY or not batch.pdf:
        raise ValidationError(BATCH_NOT_READY, code="not_ready")
    audit_record(actor=actor, action=AuditAction.CODE_BATCH_DOWNLOAD, obj=batch)
    return batch


# ---------------------------------------------------------------------------------------
# Voting with a code
# ---------------------------------------------------------------------------------------


def _usable(row: VotingCode | None, batch: CodeBatch | None, ballot_id: int | None) -> None:
    if (
        row is None
        or batch is None
        or batch.status
        in (
            CodeBatchStatus.QUEUED,
            CodeBatchStatus.FAILED,
        )
    ):
        raise ValidationError(CODE_UNKNOWN, code="unknown")
    if ballot_id is not None and batch.ballot_id != ballot_id:
        raise ValidationError(CODE_OTHER_BALLOT, code="other_ballot")
    if batch.status == CodeBatchStatus.VOIDED:
        raise ValidationError(CODE_VOIDED, code="voided")
    if row.used:
        raise ValidationError(CODE_USED, code="used")


def code_ballot(code: str, at: dt.datetime | None = None) -> Ballot:
    """The ballot a usable code votes on (the first step, before any choice is made)."""
    if not code.strip():
        raise ValidationError(CODE_NEEDED, code="needed")
    hashes = code_hashes(code)
    row = (
        VotingCode.objects.select_related("batch__ballot", "batch__area")
        .filter(code_hash__in=hashes)
        .first()
        if hashes
        else None
    )
    _usable(row, row.batch if row else None, None)
    problems = _voter_problems(row.batch.ballot, row.batch, at)
    if problems:
        raise ValidationError(problems, code="ineligible")
    return row.batch.ballot


def _voter_problems(ballot: Ballot, batch: CodeBatch, at: dt.datetime | None) -> list[str]:
    found = []
    if not ballot.is_open(at):
        found.append(str(eligibility.VOTING_NOT_OPEN % eligibility.window_params(ballot)))
    found.extend(
        batch_problems(ballot, area=batch.area, min_age=batch.min_age, max_age=batch.max_age, at=at)
    )
    return list(dict.fromkeys(found))


@transaction.atomic
def vote_cast_with_code(
    *, ballot: Ballot, code: str, proposal_ids: Iterable[int], at: dt.datetime | None = None
) -> Vote:
    """Cast one final vote with a one-time code; no account, no e-mail, no change later.

    The ballot, the code's row and its batch are locked in that order, so of two parallel
    posts with one code the second sees the code used; voiding takes the batch's lock.
    """
    locked = lock_for_casting(ballot)
    hashes = code_hashes(code)
    row = (
        VotingCode.objects.select_for_update().filter(code_hash__in=hashes).first()
        if hashes
        else None
    )
    batch = CodeBatch.objects.select_for_update().get(pk=row.batch_id) if row else None
    _usable(row, batch, locked.pk)
    problems = _voter_problems(locked, batch, at)
    if problems:
        raise ValidationError(problems, code="ineligible")
    proposals = chosen_proposals(locked, proposal_ids)
    _validate_choices(locked, proposals)
    if not VotingCode.objects.filter(pk=row.pk, used=False).update(used=True):
        raise ValidationError(CODE_USED, code="used")
    vote = seal_vote(locked, proposals)
    VoterRoll.objects.create(
        ballot=locked,
        channel=Channel.CODE,
        age_band=_recipients_band(batch),
        area=batch.area,
        group_id=locked.group_id,
        voted_on=timezone.localdate(at or timezone.now()),
        sealed_pointer=secrecy.seal_pointer(locked.public_key, vote.id),
    )
    # No audit entry per vote, as online: an actor-less entry with a time still orders them.
    mix_later(locked.pk)
    return vote

"""Reading counted paper ballots from a CSV: one row per ballot paper.

Columns: `proposals` (proposal ids separated by spaces or commas), and optionally
`age_band` (e.g. 18-29) and `postal_code`. Every row is checked before anything is saved.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import eligibility
from .models import AgeBand, Ballot
from .services import validate_choices

WRONG_FILE = _("The file could not be read as CSV.")
MISSING_COLUMN = _("The file needs a column named proposals.")
NOT_A_NUMBER = _("“%(value)s” is not a proposal number on this ballot.")
BAD_AGE_BAND = _("Unknown age band “%(value)s”.")


@dataclass
class PaperImport:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


def parse_paper_votes(ballot: Ballot, content: bytes) -> PaperImport:
    result = PaperImport()
    refused = eligibility.import_problems(ballot)
    if refused:
        result.errors.extend((0, text) for text in refused)
        return result
    try:
        text = content.decode("utf-8-sig")
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=";,\t")
        reader = csv.DictReader(io.StringIO(text), dialect=dialect)
        rows = list(reader)
    except (UnicodeDecodeError, csv.Error):
        result.errors.append((0, str(WRONG_FILE)))
        return result
    if "proposals" not in (reader.fieldnames or []):
        result.errors.append((0, str(MISSING_COLUMN)))
        return result
    proposals = {p.pk: p for p in ballot.proposals.all()}
    bands = set(AgeBand.values)
    for line, raw in enumerate(rows, start=2):
        ids = [v for v in raw["proposals"].replace(",", " ").split() if v]
        bad = [v for v in ids if not (v.isascii() and v.isdigit()) or int(v) not in proposals]
        if bad:
            result.errors.append((line, str(NOT_A_NUMBER % {"value": bad[0]})))
            continue
        band = (raw.get("age_band") or "").strip()
        if band not in bands:
            result.errors.append((line, str(BAD_AGE_BAND % {"value": band})))
            continue
        chosen = [proposals[int(v)] for v in dict.fromkeys(ids)]
        try:
            validate_choices(ballot, chosen)
        except ValidationError as exc:
            result.errors.append((line, " ".join(exc.messages)))
            continue
        postal_code = (raw.get("postal_code") or "").strip()
        sheet = eligibility.voter_on_sheet(age_band=band, postal_code=postal_code)
        ineligible = eligibility.problems(ballot, sheet)
        if ineligible:
            result.errors.append((line, " ".join(ineligible)))
            continue
        result.rows.append(
            {
                "proposal_ids": [p.pk for p in chosen],
                "age_band": band,
                "postal_code": postal_code,
            }
        )
    return result

"""Reading and writing Pabulib files (https://pabulib.org/format).

A Pabulib file is UTF-8 text in three sections, ``META``, ``PROJECTS`` and ``VOTES``, each a
``;``-separated table with a header row. The whole file is read with one :mod:`csv` reader so
that quoted fields may contain ``;``, ``"`` and even line breaks, and CRLF endings need no
special handling.

Project ids stay strings exactly as written (``"c1"``, ``"0042"`` and ``"42"`` are different
projects); money is :class:`~decimal.Decimal` so ``400000.0`` keeps its spelling through a
round trip and sums exactly.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

__all__ = [
    "Election",
    "PabulibError",
    "Project",
    "Vote",
    "parse_pabulib",
    "read_pabulib",
    "write_pabulib",
]

SECTIONS = ("meta", "projects", "votes")


class PabulibError(ValueError):
    """The text is not a Pabulib file this module can read (the message says where)."""


@dataclass(frozen=True)
class Project:
    """One row of ``PROJECTS``.

    ``votes`` and ``selected`` are the file's own columns (``None`` when absent); counting
    rules count votes from the ballots instead, because files such as Amsterdam's weight
    paper votes in the ``votes`` column. ``extra`` keeps every other column (name, category,
    coordinates, …) as text, in the file's column order.
    """

    project_id: str
    cost: Decimal
    votes: int | None = None
    selected: int | None = None
    extra: Mapping[str, str] = field(default_factory=dict)
    line: int = field(default=0, compare=False)
    """The line of the file the project was read from (0 when built in code)."""


@dataclass(frozen=True)
class Vote:
    """One ballot of ``VOTES``: the approved project ids in the order written.

    ``extra`` holds further columns (age, sex, neighbourhood, …); the writer leaves them out
    unless asked, so an export carries no personal data by default.
    """

    voter_id: str
    projects: tuple[str, ...]
    extra: Mapping[str, str] = field(default_factory=dict)
    line: int = field(default=0, compare=False)
    """The line of the file the ballot was read from (0 when built in code)."""


@dataclass(frozen=True)
class Election:
    """A whole Pabulib file: ``meta`` in file order, projects in file order, ballots."""

    meta: Mapping[str, str]
    projects: tuple[Project, ...]
    votes: tuple[Vote, ...]

    @property
    def budget(self) -> Decimal:
        try:
            return parse_decimal(self.meta["budget"])
        except KeyError:
            raise PabulibError("META has no budget") from None

    @property
    def vote_type(self) -> str:
        return self.meta.get("vote_type", "approval").strip().lower() or "approval"

    @property
    def rule(self) -> str:
        return self.meta.get("rule", "").strip()

    @property
    def min_project_score_threshold(self) -> int | None:
        raw = self.meta.get("min_project_score_threshold", "").strip()
        if not raw or raw.lower() == "none":
            return None
        value = parse_decimal(raw)
        if value != value.to_integral_value():
            raise PabulibError(f"min_project_score_threshold {raw!r} is not a whole number")
        return int(value)

    @property
    def project_ids(self) -> tuple[str, ...]:
        return tuple(p.project_id for p in self.projects)

    @property
    def selected(self) -> tuple[str, ...] | None:
        """Project ids the file marks as selected, or ``None`` when it has no such column."""
        if all(p.selected is None for p in self.projects):
            return None
        return tuple(p.project_id for p in self.projects if p.selected)

    def project(self, project_id: str) -> Project:
        for p in self.projects:
            if p.project_id == project_id:
                return p
        raise KeyError(project_id)

    def vote_counts(self) -> dict[str, int]:
        """Approvals per project counted from the ballots (a project listed twice counts once)."""
        counts: Counter[str] = Counter()
        for vote in self.votes:
            counts.update(set(vote.projects))
        return {pid: counts.get(pid, 0) for pid in self.project_ids}

    def with_selected(self, winners: Iterable[str]) -> Election:
        """A copy whose ``selected`` column marks exactly ``winners`` (to export a result)."""
        chosen = set(winners)
        unknown = chosen.difference(self.project_ids)
        if unknown:
            raise KeyError(f"unknown project ids: {sorted(unknown)}")
        projects = tuple(
            replace(p, selected=1 if p.project_id in chosen else 0) for p in self.projects
        )
        return replace(self, projects=projects)


def parse_decimal(raw: str) -> Decimal:
    """A Pabulib number: ``400000``, ``400000.0``, or with a decimal comma ``400000,5``."""
    text = raw.strip().replace(" ", "").replace("\u00a0", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise PabulibError(f"not a number: {raw!r}") from None
    if not value.is_finite():
        raise PabulibError(f"not a finite number: {raw!r}")
    return value


def _parse_int(raw: str, what: str) -> int | None:
    text = raw.strip()
    if not text or text.lower() == "none":
        return None
    value = parse_decimal(text)
    if value != value.to_integral_value():
        raise PabulibError(f"{what} {raw!r} is not a whole number")
    return int(value)


def read_pabulib(path: str | Path) -> Election:
    """Parse the Pabulib file at ``path`` (UTF-8, a byte-order mark is tolerated)."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise PabulibError(
            f"line {line}: not UTF-8 text (byte 0x{data[error.start]:02x} at column {column}); "
            "save the file as UTF-8"
        ) from None
    return parse_pabulib(text)


def parse_pabulib(text: str) -> Election:
    """Parse the text of a Pabulib file; raises :class:`PabulibError` with the line number."""
    if text.startswith("\ufeff"):
        text = text[1:]
    nul = text.find("\x00")
    if nul >= 0:
        raise PabulibError(
            f"line {text.count(chr(10), 0, nul) + 1}: "
            "the file contains a NUL character (is it a text file?)"
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
    section: str | None = None
    header: list[str] | None = None
    meta: dict[str, str] = {}
    projects: list[Project] = []
    votes: list[Vote] = []
    seen_sections: set[str] = set()
    project_ids: set[str] = set()

    rows = iter(reader)
    while True:
        try:
            raw_row = next(rows)
        except StopIteration:
            break
        except csv.Error as error:
            raise PabulibError(f"line {reader.line_num}: {_csv_problem(error)}") from None
        line = reader.line_num
        row = [cell.strip() for cell in raw_row]
        if not row or all(cell == "" for cell in row):
            continue
        if len(row) == 1 or all(cell == "" for cell in row[1:]):
            name = row[0].lower()
            if name in SECTIONS:
                if name in seen_sections:
                    raise PabulibError(f"line {line}: section {row[0]} appears twice")
                seen_sections.add(name)
                section, header = name, None
                continue
        if section is None:
            raise PabulibError(f"line {line}: data before the META section")
        if header is None:
            header = row
            _check_header(section, header, line)
            continue
        if len(row) < len(header):
            row += [""] * (len(header) - len(row))
        if section == "meta":
            # An unquoted ';' inside a META value is a common slip; the value keeps it.
            key, value = row[0], ";".join(row[1:]).rstrip(";")
            if key in meta:
                raise PabulibError(f"line {line}: META key {key!r} appears twice")
            meta[key] = value
            continue
        if len(row) > len(header):
            raise PabulibError(
                f"line {line}: {len(row)} fields but the {section.upper()} header has {len(header)}"
            )
        cells = dict(zip(header, row, strict=True))
        if section == "projects":
            project = _project_from_cells(cells, line)
            if project.project_id in project_ids:
                raise PabulibError(f"line {line}: project {project.project_id!r} appears twice")
            project_ids.add(project.project_id)
            projects.append(project)
        else:
            votes.append(_vote_from_cells(cells, line))

    missing = [s.upper() for s in SECTIONS if s not in seen_sections]
    if missing:
        raise PabulibError(f"missing section(s): {', '.join(missing)}")
    election = Election(meta=meta, projects=tuple(projects), votes=tuple(votes))
    for index, vote in enumerate(election.votes):
        unknown = [pid for pid in vote.projects if pid not in project_ids]
        if unknown:
            raise PabulibError(
                f"line {vote.line}: vote {vote.voter_id!r} (ballot {index + 1}) "
                f"names unknown project(s) {unknown}"
            )
    election.budget  # noqa: B018 -- fails early, with a clear message, on a missing budget
    return election


def _csv_problem(error: csv.Error) -> str:
    """The csv module's complaint in words a file's author can act on."""
    message = str(error)
    if "field larger than field limit" in message:
        return (
            f"a field is longer than {csv.field_size_limit()} characters "
            "(an unclosed quotation mark?)"
        )
    if "NUL" in message:
        return "the file contains a NUL character (is it a text file?)"
    return f"unreadable CSV ({message})"


def _check_header(section: str, header: list[str], line: int) -> None:
    required = {"meta": ("key", "value"), "projects": ("project_id", "cost"), "votes": ("vote",)}
    if section == "meta":
        if [h.lower() for h in header[:2]] != ["key", "value"]:
            raise PabulibError(f"line {line}: META header must be key;value")
        return
    for column in required[section]:
        if column not in header:
            raise PabulibError(f"line {line}: {section.upper()} header lacks {column!r}")
    if len(set(header)) != len(header):
        raise PabulibError(f"line {line}: repeated column in the {section.upper()} header")


def _project_from_cells(cells: dict[str, str], line: int) -> Project:
    project_id = cells["project_id"]
    if not project_id:
        raise PabulibError(f"line {line}: empty project_id")
    try:
        cost = parse_decimal(cells["cost"])
        votes = _parse_int(cells["votes"], "votes") if "votes" in cells else None
        selected = _parse_int(cells["selected"], "selected") if "selected" in cells else None
    except PabulibError as error:
        raise PabulibError(f"line {line}: {error}") from None
    if cost < 0:
        raise PabulibError(f"line {line}: negative cost for project {project_id!r}")
    extra = {k: v for k, v in cells.items() if k not in ("project_id", "cost", "votes", "selected")}
    return Project(
        project_id=project_id, cost=cost, votes=votes, selected=selected, extra=extra, line=line
    )


def _vote_from_cells(cells: dict[str, str], line: int) -> Vote:
    voter_id = cells.get("voter_id", "")
    raw = cells["vote"]
    chosen = tuple(pid.strip() for pid in raw.split(",")) if raw else ()
    if any(pid == "" for pid in chosen):
        raise PabulibError(f"line {line}: empty project id in vote {raw!r}")
    extra = {k: v for k, v in cells.items() if k not in ("voter_id", "vote")}
    return Vote(voter_id=voter_id, projects=chosen, extra=extra, line=line)


def write_pabulib(election: Election, *, keep_vote_columns: bool = False) -> str:
    """The election as Pabulib text (LF line endings, minimal quoting).

    ``num_projects`` and ``num_votes`` in META are set from the data. The ``votes`` column is
    written when any project carries a ``votes`` value, counted from the ballots where one is
    ``None``; ``selected`` likewise when any project carries it (see
    :meth:`Election.with_selected`). Ballot columns other than ``voter_id`` and ``vote`` (age,
    sex, district, …) are dropped unless ``keep_vote_columns`` is true, so an export holds no
    personal data by default.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quotechar='"', lineterminator="\n")

    meta = dict(election.meta)
    meta["num_projects"] = str(len(election.projects))
    meta["num_votes"] = str(len(election.votes))
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    for key, value in meta.items():
        writer.writerow([key, value])

    counted = election.vote_counts()
    with_votes = any(p.votes is not None for p in election.projects)
    with_selected = any(p.selected is not None for p in election.projects)
    extra_columns = _ordered_union(p.extra for p in election.projects)
    header = ["project_id", "cost", *(["votes"] if with_votes else []), *extra_columns]
    if with_selected:
        header.append("selected")
    writer.writerow(["PROJECTS"])
    writer.writerow(header)
    for p in election.projects:
        row = [p.project_id, str(p.cost)]
        if with_votes:
            row.append(str(p.votes if p.votes is not None else counted[p.project_id]))
        row += [p.extra.get(c, "") for c in extra_columns]
        if with_selected:
            row.append("" if p.selected is None else str(p.selected))
        writer.writerow(row)

    vote_columns = _ordered_union(v.extra for v in election.votes) if keep_vote_columns else []
    writer.writerow(["VOTES"])
    writer.writerow(["voter_id", "vote", *vote_columns])
    for index, v in enumerate(election.votes):
        voter_id = v.voter_id or str(index + 1)
        writer.writerow(
            [voter_id, ",".join(v.projects), *(v.extra.get(c, "") for c in vote_columns)]
        )
    return out.getvalue()


def _ordered_union(mappings: Iterable[Mapping[str, str]]) -> list[str]:
    columns: dict[str, None] = {}
    for mapping in mappings:
        for key in mapping:
            columns.setdefault(key)
    return list(columns)

"""docs/quality.md's permission table is the one the rules give today."""

from __future__ import annotations

from pathlib import Path

from omakouvola.permission_table import BEGIN, END, markdown, updated

DOC = Path(__file__).resolve().parents[2] / "docs" / "quality.md"


def test_the_permission_table_in_the_quality_document_is_current():
    document = DOC.read_text()
    assert BEGIN in document and END in document
    assert updated(document) == document, "run: manage.py permission_table --write"


def test_the_table_has_a_row_per_rule_and_a_column_per_role():
    from omakouvola.models import Role
    from omakouvola.rules import MESSAGES

    lines = markdown().splitlines()
    assert len(lines) == 2 + len(MESSAGES)
    for role in Role.values:
        assert role in lines[0]
    row = next(line for line in lines if "`voting.record_paper_votes`" in line)
    cells = [c.strip() for c in row.split(" | ")]
    header = [c.strip() for c in lines[0].split(" | ")]
    assert cells[header.index("paper_vote_clerk")] == "✓"
    assert cells[header.index("coordinator")] == "·"

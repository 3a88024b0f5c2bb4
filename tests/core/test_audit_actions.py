"""Audit actions come from one enum, keep their stored strings and read translated."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import translation

from omakouvola.audit import AuditAction
from omakouvola.models import AuditEntry
from omakouvola.services import audit_record

ROOT = Path(__file__).resolve().parents[2]
APPS = ("omakouvola", "ideas", "voting", "committees", "budgets", "identification", "opendata")


def _literal_actions() -> list[str]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or path.name in ("admin.py", "admin_base.py"):
                continue  # the generic admin log writes `<model>.<verb>` (see omakouvola.audit)
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if not isinstance(node, ast.Call):
                    continue
                for keyword in node.keywords:
                    value = keyword.value
                    if keyword.arg == "action" and isinstance(value, ast.Constant | ast.JoinedStr):
                        if isinstance(value, ast.Constant) and not isinstance(value.value, str):
                            continue
                        if isinstance(value, ast.Constant) and value.value == "store_true":
                            continue  # argparse
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_service_writes_an_audit_action_as_a_free_string():
    """Every `action=` is an AuditAction member (or built through `AuditAction(...)`)."""
    assert _literal_actions() == []


def test_actions_keep_the_strings_already_stored():
    """Rows written before the enum (and by other branches) still mean the same action."""
    assert AuditAction.IDEA_SUBMIT == "idea.submit"
    assert AuditAction("grant.reminder_before") is AuditAction.GRANT_REMINDER_BEFORE
    assert len({a.value for a in AuditAction}) == len(AuditAction)


@pytest.mark.parametrize(
    ("language", "label"),
    [("fi", "Idea jätetty"), ("sv", "Idén inlämnad"), ("en", "Idea submitted")],
)
def test_an_action_has_a_label_in_each_language(language, label):
    with translation.override(language):
        assert str(AuditAction.IDEA_SUBMIT.label) == label


@pytest.mark.django_db
def test_the_audit_log_in_the_admin_shows_the_action_translated(client, coordinator, cycle):
    entry = audit_record(actor=coordinator, action=AuditAction.CYCLE_UPDATE, obj=cycle)
    assert AuditEntry.objects.get(pk=entry.pk).action == "cycle.update"
    client.force_login(coordinator)
    html = client.get("/admin/omakouvola/auditentry/").content.decode()
    assert "Kautta muutettu" in html

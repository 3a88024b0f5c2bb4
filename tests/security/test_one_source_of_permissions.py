"""Who may do what is decided in `<app>/rules.py`, and every service that writes asks it.

Introspection, not a registry: each app's services.py (or every module of its services/
package, when the module has been split) is parsed, and every public function
that takes an actor (`actor` or `clerk`) and writes (it is `@transaction.atomic`, or
records an audit entry) must call `require(...)`, directly or through a private helper of
the same module. The few writes that take no actor are run by the system (tasks, beat)
and are listed below with the reason, so a new one fails until someone decides.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import rules
from django.core.exceptions import PermissionDenied

from omakouvola.rules import MESSAGES, NOT_ALLOWED, STAFF_PERMISSIONS, allows, require

ROOT = Path(__file__).resolve().parents[2]
APPS = ["omakouvola", "ideas", "voting", "committees", "budgets", "discussion", "following"]
ACTOR_NAMES = {"actor", "clerk"}

# Writes that take no actor: the system runs them, nobody asks for them through a page.
SYSTEM_WRITES = {
    "omakouvola.email_enqueue": "plumbing: the services that call it have required",
    "omakouvola.notification_send": "the outbox worker sends a queued e-mail",
    "omakouvola.notification_mark_failed": "the outbox worker gives up on an e-mail",
    "omakouvola.cycle_send_phase_notices": "beat, hourly",
    "omakouvola.apply_retention": "beat, nightly",
    "omakouvola.user_export_data": "reads only; the view exports the signed-in person",
    "ideas.workshop_send_reminders": "beat",
    "voting.votes_mix": "the mixing task",
    "voting.votes_mix_all": "the mixing task",
    "voting.mix_later": "asks the mixing task; the casting services call it after their rules",
    "voting.identity_verify_electronic": "the signed assertion (Suomi.fi, MPASSid) is the "
    "credential; the identification views call it for the signed-in account only",
    "voting.code_batch_print": "the slips' print task",
    "voting.vote_cast_with_code": "the one-time code is the credential (no account)",
    "committees.application_verify_email": "the secret link itself is the credential",
    "committees.minutes_generate": "the minutes task",
    "committees.decision_letter_generate": "the letter task",
    "committees.grant_send_report_reminders": "beat",
    "budgets.on_winners_decided": "a hook after winners_decide (which requires)",
    "budgets.on_grant_made": "a hook after a grant decision (which requires)",
    "budgets.annual_report_due": "beat",
    "budgets.report_give_up": "the report task",
    "budgets.report_build": "the report task",
    "following.unsubscribe_by_token": "the signed link from the e-mail is the credential",
    "following.news_record": "the ITEM_NEWS hook after a service that required",
    "following.news_deliver": "the news task",
    "following.digest_send": "beat, weekly",
}

# Writes that take the actor only to record who did it, after another service (or the
# admin's own permission check) allowed the change.
RECORDS_ONLY = {
    "omakouvola.user_account_changed": "audits and tells the person after a role, e-mail "
    "or password change that allauth or the user admin already allowed",
}


def _calls(node: ast.AST) -> set[str]:
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            if isinstance(func, ast.Name):
                names.add(func.id)
            elif isinstance(func, ast.Attribute):
                names.add(func.attr)
    return names


# Service modules beside an app's services.py (split out so parallel work merged cleanly).
EXTRA_SERVICE_MODULES = {"voting": ["codes.py"]}


def _service_files(app: str, root: Path = ROOT) -> list[Path]:
    """`services.py`, or every module of the `services/` package, plus the extra modules."""
    single = root / app / "services.py"
    files = [single] if single.exists() else sorted((root / app / "services").glob("*.py"))
    return files + [root / app / m for m in EXTRA_SERVICE_MODULES.get(app, [])]


def _service_functions(root: Path = ROOT, apps: list[str] = APPS):
    for app in apps:
        # One namespace per app: a package's private helpers may sit in a sibling module.
        functions: dict[str, ast.FunctionDef] = {}
        public = []
        for path in _service_files(app, root):
            tree = ast.parse(path.read_text())
            for n in tree.body:
                if isinstance(n, ast.FunctionDef):
                    functions[n.name] = n
                    if not n.name.startswith("_"):
                        public.append(n)
        for node in public:
            yield app, node.name, node, functions


def _writes(node: ast.FunctionDef) -> bool:
    atomic = any("atomic" in ast.unparse(d) for d in node.decorator_list)
    return atomic or "audit_record" in _calls(node) or "enqueue" in _calls(node)


def _takes_actor(node: ast.FunctionDef) -> bool:
    return any(a.arg in ACTOR_NAMES for a in node.args.kwonlyargs + node.args.args)


def _asks_the_rules(node: ast.FunctionDef, functions, seen=None) -> bool:
    seen = seen or set()
    called = _calls(node)
    if "require" in called:
        return True
    for name in called:
        if name.startswith("_") and name in functions and name not in seen:
            seen.add(name)
            if _asks_the_rules(functions[name], functions, seen):
                return True
    return False


def _unasked(root: Path = ROOT, apps: list[str] = APPS) -> tuple[list[str], list[str]]:
    missing, unlisted = [], []
    for app, name, node, functions in _service_functions(root, apps):
        if not _writes(node):
            continue
        if _takes_actor(node):
            if not _asks_the_rules(node, functions) and f"{app}.{name}" not in RECORDS_ONLY:
                missing.append(f"{app}.{name}")
        elif f"{app}.{name}" not in SYSTEM_WRITES and name != "audit_record":
            unlisted.append(f"{app}.{name}")
    return missing, unlisted


def test_every_service_that_writes_asks_the_rules():
    missing, unlisted = _unasked()
    assert missing == [], "these services write without require(actor, perm, obj)"
    assert unlisted == [], "writes without an actor: add require or list them in SYSTEM_WRITES"


# The services added last: the scan must see each of them as a write that asks the rules.
RECENT_SERVICES = [
    "discussion.comment_post",
    "discussion.comment_report",
    "discussion.comment_hide",
    "discussion.comment_restore",
    "discussion.comment_approve",
    "ideas.idea_support_set",
    "committees.meeting_update",
    "committees.grant_set_report_due",
]


def test_the_scan_covers_the_newest_services():
    found = {
        f"{app}.{name}": _writes(node) and _asks_the_rules(node, functions)
        for app, name, node, functions in _service_functions()
    }
    assert {name: found.get(name) for name in RECENT_SERVICES} == dict.fromkeys(
        RECENT_SERVICES, True
    )


def test_a_services_package_is_scanned_too(tmp_path):
    """A split `services/` package is read module by module, so the check can still fail."""
    package = tmp_path / "someapp" / "services"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("from .things import *\n")
    (package / "_shared.py").write_text("def _check(actor):\n    require(actor, 'someapp.do')\n")
    (package / "things.py").write_text(
        "@transaction.atomic\ndef thing_make(*, actor):\n    audit_record(actor=actor)\n\n"
        "@transaction.atomic\ndef thing_keep(*, actor):\n    _check(actor)\n"
    )
    assert _unasked(tmp_path, ["someapp"]) == (["someapp.thing_make"], [])


def test_the_list_of_system_writes_names_only_existing_functions():
    names = {f"{app}.{name}" for app, name, _node, _f in _service_functions()}
    assert set(SYSTEM_WRITES) - names == set()
    assert set(RECORDS_ONLY) - names == set()


def test_no_service_re_derives_a_role_itself():
    """No `is_coordinator(actor)` or `actor.is_superuser` in a service: the rule says it."""
    offenders = []
    for app in APPS:
        source = "".join(path.read_text() for path in _service_files(app))
        for needle in ("is_superuser", "is_coordinator(", "is_city_team(", "is_paper_vote_clerk("):
            if needle in source:
                offenders.append(f"{app}: {needle}")
    assert offenders == []


def test_every_rule_is_registered_with_its_message():
    """Every permission of our apps goes through omakouvola.rules.add_perm."""
    ours = {name for name in rules.permissions.permissions if name.split(".")[0] in APPS}
    assert ours - set(MESSAGES) == set()
    assert set(MESSAGES) >= STAFF_PERMISSIONS


def test_a_dead_rule_is_one_no_code_asks():
    """Each registered permission is asked somewhere outside the rules and the tests."""
    sources = "".join(
        path.read_text()
        for app in [*APPS, "opendata"]
        for path in (ROOT / app).rglob("*.py")
        if path.name != "rules.py" and "migrations" not in path.parts
    )
    templates = "".join(path.read_text() for path in (ROOT / "templates").rglob("*.html"))
    dead = [name for name in MESSAGES if f'"{name}"' not in sources and name not in templates]
    assert dead == []


@pytest.mark.django_db
def test_require_refuses_with_the_rules_message_and_allows_by_the_rule(resident, coordinator):
    from ideas.rules import COORDINATOR_ONLY

    with pytest.raises(PermissionDenied) as excinfo:
        require(resident, "ideas.approve_proposal")
    assert excinfo.value.args[0] == COORDINATOR_ONLY
    require(coordinator, "ideas.approve_proposal")
    assert MESSAGES["omakouvola.edit_own_profile"] == NOT_ALLOWED


@pytest.mark.django_db
def test_a_superuser_flag_alone_does_not_pass_a_rule_about_ownership(resident):
    """`require` asks the rule, not Django's superuser shortcut of `has_perm`."""
    from ideas.models import Idea

    resident.is_superuser = True
    someone_elses = Idea(submitter_id=resident.pk + 1000)
    assert resident.has_perm("ideas.change_own_idea", someone_elses)
    assert not allows(resident, "ideas.change_own_idea", someone_elses)


def _project_admins():
    from django.contrib import admin

    from omakouvola.admin_base import ServiceAdmin

    return [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in APPS and isinstance(model_admin, ServiceAdmin)
    ]


def test_every_project_admin_is_a_service_admin_naming_its_view_rule():
    from django.contrib import admin

    ours = [m for m in admin.site._registry if m._meta.app_label in APPS]
    assert len(_project_admins()) == len(ours)
    unnamed = [type(a).__name__ for a in _project_admins() if a.view_rule not in MESSAGES]
    assert unnamed == []


def _admin_request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = type(user).objects.get(pk=user.pk)  # no cached permissions
    return request


@pytest.mark.django_db
def test_the_admin_asks_the_rules_not_model_permissions(resident, coordinator):
    """Every model permission given to a resident opens nothing; a coordinator whose role
    holds no model permission still has every page the rules give the coordinator."""
    from django.contrib.auth.models import Group, Permission

    resident.is_staff = True
    resident.save()
    resident.user_permissions.set(Permission.objects.all())
    Group.objects.get(name="coordinator").permissions.clear()
    as_resident, as_coordinator = _admin_request(resident), _admin_request(coordinator)
    assert as_resident.user.has_perm("ideas.view_idea")  # Django would let them in
    for model_admin in _project_admins():
        name = type(model_admin).__name__
        assert not model_admin.has_module_permission(as_resident), name
        assert not model_admin.has_view_permission(as_resident), name
        assert not model_admin.has_add_permission(as_resident), name
        assert not model_admin.has_change_permission(as_resident), name
        assert not model_admin.has_delete_permission(as_resident), name
        assert not model_admin.get_queryset(as_resident).exists(), name
        granted = allows(coordinator, model_admin.view_rule)
        assert model_admin.has_module_permission(as_coordinator) == granted, name
        assert model_admin.has_view_permission(as_coordinator) == granted, name
    from django.contrib import admin

    from omakouvola.models import Cycle

    cycles = admin.site._registry[Cycle]
    assert cycles.has_add_permission(as_coordinator)
    assert cycles.has_change_permission(as_coordinator)

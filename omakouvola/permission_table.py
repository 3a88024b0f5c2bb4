"""The permission table (rule × role) of docs/quality.md, computed from the rules.

Each role is a stand-in person holding only that role (committee members and chairs
hold it in one committee, asked about that committee); a rule that also depends on the
object (whose idea, which meeting, is a conflict declared) shows its condition, which
the rule's own name spells out.
"""

from __future__ import annotations

from types import SimpleNamespace

import rules
from django.apps import apps

from .models import Role

BEGIN = "<!-- permission-table:begin (manage.py permission_table --write) -->"
END = "<!-- permission-table:end -->"


class _Person(SimpleNamespace):
    is_authenticated = True
    is_active = True
    is_anonymous = False
    groups = ()  # groups are read from _group_names_cache


def _people():
    def person(label, *, groups=(), superuser=False, membership=None):
        return label, _Person(
            pk=-1,
            is_superuser=superuser,
            _group_names_cache=set(groups),
            _committee_memberships_cache=[membership] if membership else [],
            _verified_cache=True,
            _resident_cache=True,
        )

    member = SimpleNamespace(pk=-1, committee_id=-1, role="member")
    chair = SimpleNamespace(pk=-2, committee_id=-1, role="chair")
    yield person("resident")
    for role in Role:
        yield person(role.value, groups=[role.value])
    yield person("member", membership=member)
    yield person("chair", membership=chair)
    yield person("superuser", superuser=True)


def rows() -> list[tuple[str, list[bool], str]]:
    from .rules import MESSAGES

    # The core may not import an app above it (the layer contract); the registry names it.
    own_committee = apps.get_model("committees", "Committee")(pk=-1)
    people = list(_people())
    table = []
    for name in sorted(MESSAGES):
        predicate = rules.permissions.permissions[name]
        marks = []
        for _label, user in people:
            objects = (None, own_committee) if name.startswith("committees.") else (None,)
            marks.append(any(predicate.test(user, obj) for obj in objects))
        table.append((name, marks, predicate.name))
    return table


def markdown() -> str:
    from .rules import STAFF_PERMISSIONS

    labels = [label for label, _user in _people()]
    head = "| rule | " + " | ".join(labels) + " | 2FA | condition |"
    lines = [head, "|" + "---|" * (len(labels) + 3)]
    for name, marks, condition in rows():
        cells = " | ".join("✓" if m else "·" for m in marks)
        staff = "yes" if name in STAFF_PERMISSIONS else ""
        condition = condition.replace("|", "\\|")  # a pipe would end the table cell
        lines.append(f"| `{name}` | {cells} | {staff} | `{condition}` |")
    return "\n".join(lines)


def updated(document: str) -> str:
    """The document with the table between its markers replaced by the current one."""
    start, end = document.index(BEGIN) + len(BEGIN), document.index(END)
    return document[:start] + "\n" + markdown() + "\n" + document[end:]

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

from .models import Area, Role, User

BEGIN = "<!-- permission-table:begin (manage.py permission_table --write) -->"
END = "<!-- permission-table:end -->"


def _people():
    """Unsaved people: a `User` whose home area is known and whose groups, committee
    places and confirmed address are what django-rules and the predicates read first, so
    the table asks the very predicates the site asks, without a database."""
    home = Area(pk=-1, name="Kouvola", slug="kouvola")

    def person(label, *, groups=(), superuser=False, membership=None):
        user = User(pk=-1, is_superuser=superuser, postal_code="45100")
        user.__dict__["area"] = home  # the cached_property's own slot: no query for it
        user._group_names_cache = set(groups)  # django-rules' is_group_member reads this
        user._committee_memberships_cache = [membership] if membership else []
        user._verified_cache = True
        return label, user

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

"""Every registered ModelAdmin, opened with the demo data by every staff role that has access.

For each admin: the changelist (and each filter choice), the add page, the change page of
demo objects (capped per model), the change form posted back unchanged (it saves or shows a
form error, and a save that changed the stored row left an audit entry), and every action
run on a demo row. None of it may answer 500. A model with no admin, or an admin without a
demo row, fails unless it is listed below with its reason.

The demo is seeded once for the module inside a transaction that is rolled back at the
end; each test runs in a savepoint inside it, so tests stay independent and fast.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from omakouvola.models import User

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("omakouvola", "ideas", "voting", "committees", "budgets")

# Models with no admin of their own, and why.
NOT_IN_ADMIN = {
    "omakouvola.OutboxTask": "machinery: the outbox sweeper owns it",
    "omakouvola.PhaseNotice": "machinery: remembers which phase notices were sent",
    "ideas.IdeaImage": "the submitter's photos, managed on the idea page",
    "ideas.IdeaStatusChange": "history written by the screening services",
    "ideas.IdeaSupport": "who supports what is personal; the idea admin shows the count",
    "voting.Vote": "ballot secrecy: no one browses votes",
    "voting.VoterRoll": "who voted is read through the tally, not browsed",
    "voting.VerifiedIdentity": "personal identity data, managed by the identity service",
    "voting.VotingCode": "keyed hashes only; the batch admin shows how many were used",
    "committees.CostItem": "part of an application, shown on the committee pages",
    "committees.Attachment": "private files, served by the permission-checked view",
    "committees.Comment": "committee members' discussion, on the committee pages",
    "committees.ConflictDeclaration": "declared by members on the meeting page",
    "committees.Participant": "attendance, recorded on the meeting page",
    "committees.AgendaItem": "the agenda is built by services on the meeting page",
    "committees.FinalReport": "the applicant's report, reviewed on the committee pages",
    "committees.ReportPhoto": "private photos of a final report",
    "committees.ReportReminder": "machinery: remembers which reminders were sent",
    "budgets.Milestone": "implementation tracking on the staff pages",
    "budgets.ProgressNote": "implementation tracking on the staff pages",
    "budgets.ImplementationPhoto": "implementation tracking on the staff pages",
}
# Admins the demo has no rows for, so only their changelist and add page are opened.
NO_DEMO_ROWS = {
    "voting.PaperBatch": "the demo's pilot had no paper ballots",
}

CHANGE_PAGES_PER_MODEL = 3
CHOICES_PER_FILTER = 4
STAFF_ROLES = ("coordinator", "city_team", "expert", "decision_maker", "clerk", "council")


def _add_built_files() -> None:
    """The PDFs the workers build: their change pages once answered 500."""
    from budgets.models import Report, ReportKind, ReportStatus
    from committees.models import Decision, Meeting

    pdf = b"%PDF-1.4 smoke"
    decision = Decision.objects.order_by("pk").first()
    decision.letter_pdf.save("letter.pdf", ContentFile(pdf), save=True)
    meeting = Meeting.objects.order_by("pk").first()
    meeting.minutes_pdf.save("minutes.pdf", ContentFile(pdf), save=True)
    report = Report(
        kind=ReportKind.ANNUAL,
        period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2023, 12, 31),
        status=ReportStatus.READY,
        ready_at=timezone.now(),
    )
    report.pdf.save("report.pdf", ContentFile(pdf), save=False)
    report.save()


def _label(model) -> str:
    return model._meta.label


def _project_admins() -> list[type]:
    return sorted(
        (m for m in admin.site._registry if m._meta.app_label in PROJECT_APPS), key=_label
    )


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("admin-smoke") / "media"
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with open("/dev/null", "w") as devnull:
                call_command("seed_demo", stdout=devnull)
            _add_built_files()
            people = {
                role: User.objects.get(email=f"{email}@omakouvola.test")
                for role, email in {
                    "coordinator": "koordinaattori",
                    "city_team": "vihertiimi",
                    "expert": "asiantuntija",
                    "decision_maker": "paattaja",
                    "clerk": "asiointipiste",
                    "council": "valtuutettu",
                }.items()
            }
            yield people
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def smoke(demo_world, settings, tmp_path_factory):
    settings.RATE_LIMIT_IDEAS = settings.RATE_LIMIT_VOTES = "100000/m"
    settings.RATE_LIMIT_APPLICATIONS = "100000/m"
    return demo_world


class ChangeForm(HTMLParser):
    """The values a browser would post back from the admin's change form, untouched."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data: list[tuple[str, str]] = []
        self.submit_names: set[str] = set()
        self._select: str | None = None
        self._select_multiple = False
        self._selected: list[str] = []
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind == "submit":
                self.submit_names.add(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.append((name, a.get("value") or "on"))
            elif kind not in ("file", "button", "image", "reset"):
                self.data.append((name, a.get("value") or ""))
        elif tag == "select" and name:
            self._select, self._select_multiple = name, "multiple" in a
            self._selected, self._first_option = [], None
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self._selected.append(value)
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = self._selected
            if not chosen and not self._select_multiple and self._first_option is not None:
                chosen = [self._first_option]
            self.data.extend((self._select, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            # Browsers drop the newline that follows <textarea>.
            self.data.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None


def _form_data(html: str, model) -> tuple[dict[str, list[str]], bool]:
    parser = ChangeForm(f"{model._meta.model_name}_form")
    parser.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    return data, "_save" in parser.submit_names


def _assert_ok(response, what):
    assert response.status_code < 500, (what, response.status_code)


def _open_filters(client, url, response, what):
    cl = response.context["cl"]
    for spec in cl.filter_specs:
        for choice in list(spec.choices(cl))[:CHOICES_PER_FILTER]:
            query = choice.get("query_string") or "?"
            got = client.get(url + query)
            _assert_ok(got, (what, "filter", query))
            assert got.status_code in (200, 302), (what, query, got.status_code)


def _run_actions(client, url, response, obj, what):
    actions = response.context["cl"].model_admin.get_actions(response.wsgi_request)
    for name in actions:
        got = client.post(url, {"action": name, "_selected_action": [obj.pk], "index": 0})
        _assert_ok(got, (what, "action", name))


def _stored(model, pk):
    return model._default_manager.filter(pk=pk).values().first()


def _check_change_page(client, model, obj, post_back, what):
    from omakouvola.models import AuditEntry

    info = (model._meta.app_label, model._meta.model_name)
    url = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
    with transaction.atomic():
        response = client.get(url)
        assert response.status_code == 200, (what, url, response.status_code)
        if post_back:
            data, can_save = _form_data(response.content.decode(), model)
            if can_save:
                data["_save"] = ["Save"]
                before, entries = _stored(model, obj.pk), AuditEntry.objects.count()
                posted = client.post(url, data)
                _assert_ok(posted, (what, "post unchanged", url))
                if posted.status_code == 200:
                    body = posted.content.decode()
                    assert "errornote" in body or "errorlist" in body, (what, url)
                else:
                    assert posted.status_code in (302, 403), (what, url, posted.status_code)
                # A save that wrote the row wrote an audit entry too.
                if _stored(model, obj.pk) != before:
                    assert AuditEntry.objects.count() > entries, (what, url, "unaudited write")
        transaction.set_rollback(True)


@pytest.mark.parametrize("model", _project_admins(), ids=_label)
def test_every_admin_page_and_action_opens_for_every_staff_role_with_access(client, smoke, model):
    info = (model._meta.app_label, model._meta.model_name)
    changelist = reverse("admin:{}_{}_changelist".format(*info))
    add = reverse("admin:{}_{}_add".format(*info))
    roles_with_access = []
    for role in STAFF_ROLES:
        user = smoke[role]
        client.force_login(user)
        response = client.get(changelist)
        if response.status_code in (302, 403):
            continue
        assert response.status_code == 200, (role, changelist, response.status_code)
        roles_with_access.append(role)
        full = role == "coordinator"
        what = (role, _label(model))
        visible = response.context["cl"].queryset
        objects = list(visible.order_by("pk")[:CHANGE_PAGES_PER_MODEL])
        if full and _label(model) not in NO_DEMO_ROWS:
            assert objects, f"{_label(model)} has an admin but no demo row; add one"
        if full:
            _open_filters(client, changelist, response, what)
        got = client.get(add)
        assert got.status_code in (200, 403), (what, add, got.status_code)
        for obj in objects if full else objects[:1]:
            _check_change_page(client, model, obj, post_back=True, what=what)
        if full and objects:
            with transaction.atomic():
                _run_actions(client, changelist, response, objects[0], what)
                transaction.set_rollback(True)
    assert "coordinator" in roles_with_access, f"the coordinator cannot open {changelist}"


def test_every_project_model_has_an_admin_or_a_reason():
    registered = {_label(m) for m in admin.site._registry} | {
        _label(inline.model) for ma in admin.site._registry.values() for inline in ma.inlines
    }
    missing = [
        _label(m)
        for app in PROJECT_APPS
        for m in apps.get_app_config(app).get_models()
        if _label(m) not in registered
        and _label(m) not in NOT_IN_ADMIN
        and not m._meta.auto_created
    ]
    assert not missing, f"models with neither an admin nor a NOT_IN_ADMIN reason: {missing}"
    stale = [label for label in {**NOT_IN_ADMIN, **NO_DEMO_ROWS} if label not in _all_labels()]
    assert not stale, f"lists name models that no longer exist: {stale}"


def _all_labels() -> set[str]:
    return {_label(m) for app in PROJECT_APPS for m in apps.get_app_config(app).get_models()}


# English words a Finnish coordinator once saw as labels in the admin ("Cycle:", "Grant:",
# "Created by:", "POSITION / AT / FROM STATUS", "…: positive/positive", Django's own
# "Model name"). A label that contains any of them, as a whole word, was not translated.
ENGLISH_LABEL_WORDS = frozenset(
    [
        "add",
        "agenda",
        "applicant",
        "approved",
        "assessed",
        "at",
        "author",
        "ballot",
        "ballots",
        "by",
        "change",
        "committee",
        "computed",
        "count",
        "counted",
        "created",
        "cycle",
        "data",
        "decided",
        "decision",
        "departures",
        "expert",
        "from",
        "grant",
        "implementation",
        "imported",
        "item",
        "key",
        "link",
        "list",
        "meeting",
        "model",
        "name",
        "negative",
        "neutral",
        "number",
        "pledged",
        "position",
        "positive",
        "proposal",
        "public",
        "reasoning",
        "recorded",
        "registered",
        "request",
        "result",
        "rule",
        "seat",
        "sent",
        "status",
        "to",
        "turnout",
        "user",
        "view",
        "votes",
        "winners",
        "workshop",
    ]
)
# Elements whose text is a label, not data: the first cell of a changelist row is a <th>
# holding the object's name, so row headers ("field-…") are left out.
LABEL_TAGS = {"label", "legend", "caption", "h2", "th"}


class LabelText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth = 0
        self.labels: list[str] = []
        self._parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        classes = (dict(attrs).get("class") or "").split()
        if tag in LABEL_TAGS and not any(c.startswith("field-") for c in classes):
            if self.depth == 0:
                self._parts = []
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if tag in LABEL_TAGS and self.depth:
            self.depth -= 1
            if self.depth == 0:
                self.labels.append(" ".join("".join(self._parts).split()))

    def handle_data(self, data):
        if self.depth and not self._skip:
            self._parts.append(data)


def _english_labels(html: str) -> list[str]:
    parser = LabelText()
    parser.feed(html)
    found = []
    for label in parser.labels:
        words = {w.lower() for w in re.findall(r"\w+", label)}
        if words & ENGLISH_LABEL_WORDS:
            found.append(label)
    return found


def test_the_label_check_catches_the_english_the_coordinator_saw():
    html = (
        '<label for="id_cycle">Cycle:</label><th scope="col">POSITION</th>'
        '<th class="column-public_reasoning">PUBLIC REASONING</th>'
        "<th>Ehdotus</th><label>Kausi:</label>"
        '<th class="field-title"><a>Frisbeegolfrata Teams-yhteydellä</a></th>'
    )
    assert _english_labels(html) == ["Cycle:", "POSITION", "PUBLIC REASONING"]


@pytest.mark.parametrize("model", _project_admins(), ids=_label)
def test_every_admin_page_reads_finnish_without_english_labels(client, smoke, model):
    """Changelist, add page and a demo row's change page, as the coordinator, in Finnish."""
    info = (model._meta.app_label, model._meta.model_name)
    client.force_login(smoke["coordinator"])
    urls = [
        reverse("admin:index"),
        reverse("admin:app_list", args=[info[0]]),
        reverse("admin:{}_{}_changelist".format(*info)),
        reverse("admin:{}_{}_add".format(*info)),
    ]
    obj = model._default_manager.order_by("pk").first()
    if obj is not None:
        urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fi")
        if response.status_code == 403:
            continue  # nobody may add it (votes, results, decisions come from services)
        assert response.status_code == 200, (url, response.status_code)
        assert response.content.decode().count('lang="fi"') >= 1, url
        english = _english_labels(response.content.decode())
        if obj is not None:
            # The object's own name is data, not a label: an audit entry's name holds its
            # action code ("cycle.create") until audit actions get translated names.
            english = [label for label in english if label.strip() != str(obj).strip()]
        assert not english, f"English labels on {url} in Finnish: {english}"

"""The demo world as the ground for security tests: every kind of object and person."""

from __future__ import annotations

from html.parser import HTMLParser


class PostForms(HTMLParser):
    """The page's POST forms as (action, field names), header forms left out."""

    SKIP_ACTIONS = ("/i18n/setlang/", "/accounts/logout/", "/admin/logout/")

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, list[str]]] = []
        self.max_lengths: dict[str, int] = {}
        self._current: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._current = []
            action = attrs.get("action") or ""
            if not any(skip in action for skip in self.SKIP_ACTIONS):
                self.forms.append((action, self._current))
        elif tag in {"input", "select", "textarea"} and self._current is not None:
            name = attrs.get("name")
            if name and name != "csrfmiddlewaretoken" and name not in self._current:
                self._current.append(name)
            if name and (attrs.get("maxlength") or "").isdecimal():
                self.max_lengths[name] = int(attrs["maxlength"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def post_forms(html: str, path: str) -> list[tuple[str, list[str]]]:
    parser = PostForms()
    parser.feed(html)
    return [(action or path, fields) for action, fields in parser.forms]


def max_lengths(html: str) -> dict[str, int]:
    """The maxlength the page declares for each field, so fuzzing can go 10x past it."""
    parser = PostForms()
    parser.feed(html)
    return parser.max_lengths

"""The quick form parts render what Django renders, with fewer templates and queries."""

from __future__ import annotations

import pytest
from django import forms

from omakouvola.fastforms import ListModelChoiceField, QuickSelect
from omakouvola.models import Area

from ..factories import AreaFactory


class _Form(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Kaikki"), ("a", "A & <b>"), ("b", "B")])
    quick = forms.ChoiceField(
        choices=[("", "Kaikki"), ("a", "A & <b>"), ("b", "B")],
        widget=QuickSelect(attrs={"class": "form-select"}),
    )


def _normal(html: str) -> str:
    return "".join(html.split())


def test_quick_select_renders_the_same_markup_as_django():
    form = _Form({"kind": "a", "quick": "a"})
    django_html = forms.Select(
        attrs={"class": "form-select"}, choices=form.fields["quick"].choices
    ).render("quick", "a", {"id": "id_quick", "required": True})
    assert _normal(str(form["quick"])) == _normal(django_html)
    assert 'value="a" selected' in str(form["quick"])
    assert "A &amp; &lt;b&gt;" in str(form["quick"])  # labels are escaped


def test_quick_select_falls_back_for_option_groups():
    widget = QuickSelect(choices=[("Ryhmä", [("x", "X")])])
    assert "<optgroup" in widget.render("g", "x")


@pytest.mark.django_db
def test_list_model_choice_field_reads_choices_in_one_query(django_assert_num_queries):
    AreaFactory.create_batch(3)

    class AreaForm(forms.Form):
        area = ListModelChoiceField(queryset=Area.objects.order_by("name"), widget=QuickSelect)

    form = AreaForm()
    with django_assert_num_queries(1):
        html = str(form["area"])
    assert html.count("<option") == 4

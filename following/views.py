"""Thin views: the follow button, a person's follows, the delivery choice, unsubscribing."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from omakouvola.ratelimits import limit_posts
from omakouvola.rules import check

from . import selectors, services
from .forms import DeliveryForm, FollowForm
from .models import KINDS
from .rules import item_is_followable


def _item(request: HttpRequest, kind: str, pk: int) -> Any:
    """The item a follow button names; one the person cannot see is 404 like a missing one."""
    label = KINDS.get(kind)
    if label is None:
        raise Http404
    model = apps.get_model(label)
    try:
        item = model._default_manager.get(pk=pk)
    except model.DoesNotExist:
        raise Http404 from None
    if not item_is_followable.test(request.user, item):
        raise Http404
    return item


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Back to this site's page the form came from; anything else goes to the fallback.
    Only a path is taken (`redirect("0")` would look "0" up as a view name and fail)."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect(fallback)


@login_required
@require_POST
@limit_posts("RATE_LIMIT_FOLLOWS")
def follow(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    item = _item(request, kind, pk)
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to follow the item."))
        return _back(request, item.get_absolute_url())
    check(request, "following.follow", item)
    wanted = form.cleaned_data["follow"]
    services.follow_set(actor=request.user, item=item, follow=wanted)
    if wanted:
        messages.success(request, _("You now follow this. We tell you by e-mail when it moves."))
    else:
        messages.success(request, _("You no longer follow this."))
    return _back(request, item.get_absolute_url())


def _my_follows_context(user: Any) -> dict[str, Any]:
    return {
        "follows": selectors.follows_of(user),
        "delivery_form": DeliveryForm(initial={"delivery": selectors.delivery_of(user)}),
    }


@login_required
def my_follows(request: HttpRequest) -> HttpResponse:
    return render(request, "following/my_follows.html", _my_follows_context(request.user))


def my_page_panel(request: HttpRequest, user: Any) -> str:
    """What the person follows and how news reaches them, on their own page (`/me/`)."""
    return render_to_string(
        "following/_my_follows.html", _my_follows_context(user), request=request
    )


@login_required
@require_POST
@limit_posts("RATE_LIMIT_FOLLOWS")
def delivery(request: HttpRequest) -> HttpResponse:
    form = DeliveryForm(request.POST)
    if form.is_valid():
        check(request, "following.choose_delivery")
        try:
            services.delivery_set(actor=request.user, delivery=form.cleaned_data["delivery"])
        except ValidationError as exc:
            messages.error(request, " ".join(str(m) for m in exc.messages))
        else:
            messages.success(request, _("Your choice was saved."))
    else:
        messages.error(request, _("Choose how you want to receive the news."))
    return _back(request, "following:mine")


# No CSRF token: the signed link is the credential, and a mail client's one-click
# unsubscribe (RFC 8058) POSTs to it without one.
@csrf_exempt
@limit_posts("RATE_LIMIT_FOLLOWS")
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (mail clients open links by themselves); POST unsubscribes. No sign-in:
    the signed link is the proof."""
    try:
        user, item = services.unsubscribe_read(token)
    except ValidationError as exc:
        expired = exc.code == "expired_link"
        return render(
            request,
            "following/unsubscribe.html",
            {"error": " ".join(str(m) for m in exc.messages), "expired": expired},
            status=410 if expired else 400,
        )
    done = False
    if request.method == "POST":
        services.unsubscribe_by_token(token=token)
        done = True
    return render(
        request,
        "following/unsubscribe.html",
        {"item": item, "done": done, "token": token, "email": user.email},
    )


def follow_panel(request: HttpRequest, item: Any) -> str:
    """The follow button on an idea, proposal, ballot or built project page."""
    user = request.user
    kind = next((k for k, label in KINDS.items() if label == item._meta.label_lower), "")
    followable = item_is_followable.test(user, item)
    return render_to_string(
        "following/_button.html",
        {
            "item": item,
            "kind": kind,
            "following": selectors.is_following(user, item),
            "followable": followable,
            "can_follow": user.is_authenticated and followable,
            "next": request.get_full_path(),
        },
        request=request,
    )


def outcome_panel(request: HttpRequest, ballot: Any) -> str:
    """After voting: "tell me what happens to this ballot's proposals" (no choices kept)."""
    return render_to_string(
        "following/_outcome.html",
        {
            "item": ballot,
            "following": selectors.is_following(request.user, ballot),
            "next": request.get_full_path(),
        },
        request=request,
    )

"""Thin views: the comment form under an item, reports, and the moderators' page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ideas.models import Idea, Proposal
from omakouvola.ratelimits import limit_posts
from omakouvola.rules import allows, check, is_verified, permission_required

from . import selectors, services
from .forms import CommentForm, ModerateForm, ReportForm
from .models import Comment, CommentState
from .rules import target_is_public


def _viewable_target(request: HttpRequest, kind: str, pk: int) -> Idea | Proposal:
    if kind == "idea":
        target = get_object_or_404(Idea.objects.select_related("cycle"), pk=pk)
        if not allows(request.user, "ideas.view_idea", target):
            raise Http404
        return target
    return get_object_or_404(Proposal.objects.public().select_related("cycle"), pk=pk)


def _back(target) -> HttpResponse:
    return redirect(f"{target.get_absolute_url()}#discussion")


def _say_errors(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(str(m) for m in exc.messages))


@login_required
@require_POST
@limit_posts("RATE_LIMIT_COMMENTS")
def comment_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    target = _viewable_target(request, kind, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(target)
    parent = None
    if form.cleaned_data["parent"]:
        parent = get_object_or_404(Comment, pk=form.cleaned_data["parent"])
    official = form.cleaned_data["official"]
    if official:
        check(request, "discussion.answer", target)
    elif parent is not None:
        check(request, "discussion.reply", parent)
    else:
        check(request, "discussion.comment", target)
    try:
        comment = services.comment_post(
            actor=request.user,
            target=target,
            body=form.cleaned_data["body"],
            parent=parent,
            official=official,
        )
    except ValidationError as exc:
        _say_errors(request, exc)
        return _back(target)
    if comment.state == CommentState.PENDING:
        messages.info(request, _("Thank you! Your comment is shown once a moderator has read it."))
    else:
        messages.success(request, _("Thank you! Your comment was published."))
    return redirect(comment.get_absolute_url())


@login_required
@limit_posts("RATE_LIMIT_REPORTS")
def comment_report(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("idea", "proposal"), pk=pk)
    target = comment.target
    if isinstance(target, Idea) and not allows(request.user, "ideas.view_idea", target):
        raise Http404
    check(request, "discussion.report", comment)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_report(
                actor=request.user, comment=comment, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _say_errors(request, exc)
        else:
            messages.success(request, _("Thank you. A moderator will look at the comment."))
        return redirect(comment.get_absolute_url())
    return render(
        request, "discussion/report.html", {"comment": comment, "target": target, "form": form}
    )


@permission_required("discussion.moderate")
def moderation(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "discussion/moderation.html",
        {
            "waiting": list(selectors.moderation_queue()),
            "hidden": list(selectors.recently_hidden()),
            "form": ModerateForm(),
        },
    )


@require_POST
@permission_required("discussion.moderate")
def comment_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=pk)
    form = ModerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the comment."))
        return redirect("discussion:moderation")
    action = form.cleaned_data["action"]
    try:
        if action == "hide":
            services.comment_hide(
                actor=request.user, comment=comment, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The comment was hidden."))
        elif action == "restore":
            services.comment_restore(actor=request.user, comment=comment)
            messages.success(request, _("The comment is shown again."))
        elif action == "approve":
            services.comment_approve(actor=request.user, comment=comment)
            messages.success(request, _("The comment was published."))
        else:
            services.comment_keep(actor=request.user, comment=comment)
            messages.success(request, _("The reports were closed; the comment stays."))
    except ValidationError as exc:
        _say_errors(request, exc)
    return redirect("discussion:moderation")


def thread_panel(request: HttpRequest, target: Idea | Proposal) -> str:
    """The discussion under an idea or proposal page (registered in omakouvola.panels)."""
    user = request.user
    kind = "idea" if isinstance(target, Idea) else "proposal"
    can_comment = allows(user, "discussion.comment", target)
    # Replies and reports are offered on each published comment; the rules are asked
    # once here and again by the service when the form is sent.
    return render_to_string(
        "discussion/_thread.html",
        {
            "target": target,
            "items": selectors.thread(target, viewer=user),
            "is_open": target_is_public.test(user, target) and selectors.discussion_open_on(target),
            "can_comment": can_comment,
            "can_answer": allows(user, "discussion.answer", target),
            "can_moderate": allows(user, "discussion.moderate"),
            "pre_moderated": selectors.is_pre_moderated(target),
            "can_take_part": is_verified(user),
            "kind": kind,
            "form": CommentForm(),
        },
        request=request,
    )


def my_page_panel(request: HttpRequest, user) -> str:
    """The comments part of the resident's own page (registered in omakouvola.panels)."""
    return render_to_string(
        "discussion/_my_page.html", {"comments": selectors.comments_of_user(user)}, request=request
    )

"""Sample arguments for every URL, taken from the demo world."""

from __future__ import annotations


def url_kwargs(world) -> dict[str, dict]:
    from budgets.models import Implementation
    from committees.models import (
        Attachment,
        Decision,
        FundingApplication,
        Grant,
        Meeting,
    )
    from ideas.models import Idea, Proposal, VolunteerPledge, Workshop
    from voting.models import Ballot

    idea = Idea.objects.public().filter(submitter=world["resident"]).first()
    pledge = VolunteerPledge.objects.first()
    pilot = Ballot.objects.get(name="Kohenna Kouvolaa 2022")
    # A decision of another committee than Valkeala's, whose members are then outsiders.
    decision = (
        Decision.objects.exclude(funding_request__committee__slug="valkeala")
        .select_related("funding_request__application")
        .order_by("pk")
        .first()
    )
    application = decision.funding_request.application
    grant = Grant.objects.filter(decision=decision).first() or Grant.objects.first()
    meeting = Meeting.objects.filter(committee__slug="valkeala").order_by("-starts_at").first()
    item = meeting.agenda_items.first()
    minutes = Meeting.objects.exclude(minutes_pdf="").first() or meeting
    attachment = Attachment.objects.first()
    request = (
        FundingApplication.objects.filter(requests__committee__slug="valkeala")
        .exclude(status="draft")
        .first()
        .requests.get(committee__slug="valkeala")
    )
    token = application.token
    implementation = Implementation.objects.public().first()
    report = _ready_report(world["coordinator"])
    from discussion.models import Comment

    # A published comment of a demo resident none of the roles wrote.
    comment = Comment.objects.filter(
        state="published", author__email="kommentoija@omakouvola.test"
    ).first()
    proposal = Proposal.objects.exclude(status="draft").first()
    from following.services import unsubscribe_token

    return {
        "following:follow": {"kind": "idea", "pk": idea.pk},
        # A demo resident's link: it opens the confirmation for anyone who holds it.
        "following:unsubscribe": {"token": unsubscribe_token(comment.author, idea)},
        "discussion:comment_idea": {"pk": idea.pk},
        "discussion:comment_proposal": {"pk": proposal.pk},
        "discussion:report": {"pk": comment.pk},
        "discussion:moderate": {"pk": comment.pk},
        "public_media": {"path": "ideas/0/missing.jpg"},
        "opendata_csv": {"resource": "ideas"},
        "opendata-v1:ballot_results": {"ballot_id": pilot.pk},
        "budgets:project": {"pk": implementation.pk},
        "budgets:report": {"pk": report.pk},
        "budgets:report_pdf": {"pk": report.pk},
        "budgets:report_publish": {"pk": report.pk},
        "budgets:table_download": {"key": "appropriations", "fmt": "csv"},
        "ideas:detail": {"pk": idea.pk},
        "ideas:edit": {"pk": idea.pk},
        "ideas:scan": {"pk": Idea.objects.exclude(paper_scan="").first().pk},
        "ideas:withdraw": {"pk": idea.pk},
        "ideas:pledge_idea": {"pk": idea.pk},
        "ideas:support": {"pk": idea.pk},
        "ideas:pledge_withdraw": {"pk": pledge.pk},
        "ideas:workshop": {"pk": Workshop.objects.first().pk},
        "ideas:workshop_register": {"pk": Workshop.objects.first().pk},
        "ideas:workshop_cancel": {"pk": Workshop.objects.first().pk},
        "ideas:proposal": {"pk": Proposal.objects.exclude(status="draft").first().pk},
        "ideas:pledge_proposal": {"pk": Proposal.objects.exclude(status="draft").first().pk},
        "voting:ballot": {"pk": pilot.pk},
        "voting:map_data": {"pk": pilot.pk},
        "voting:receipt": {"pk": pilot.pk},
        "voting:results": {"pk": pilot.pk},
        "voting:results_pabulib": {"pk": pilot.pk},
        "voting:decide": {"pk": pilot.pk},
        "voting:code_done": {"pk": pilot.pk},
        "voting:my_vote": {"pk": pilot.pk},
        "committees:application": {"token": token},
        "committees:application_edit": {"token": token},
        "committees:application_submit": {"token": token},
        "committees:application_attach": {"token": token},
        "committees:application_attachment": {
            "token": token,
            "pk": attachment.pk if attachment else 1,
        },
        "committees:application_letter": {"token": token, "pk": decision.pk},
        "committees:application_report": {"token": token, "grant_pk": grant.pk},
        "committees:attachment": {"pk": attachment.pk if attachment else 1},
        "committees:letter": {"pk": decision.pk},
        "committees:minutes": {"pk": minutes.pk},
        "committees:meeting": {"pk": meeting.pk},
        "committees:meeting_agenda": {"pk": meeting.pk},
        "committees:meeting_invite": {"pk": meeting.pk},
        "committees:meeting_regrets": {"pk": meeting.pk},
        "committees:meeting_attendance": {"pk": meeting.pk},
        "committees:meeting_decide": {"pk": meeting.pk, "item_pk": item.pk if item else 1},
        "committees:meeting_minutes": {"pk": meeting.pk},
        "committees:meeting_approve": {"pk": meeting.pk},
        "committees:request": {"pk": request.pk},
        "committees:request_comment": {"pk": request.pk},
        "committees:request_conflict": {"pk": request.pk},
        "committees:request_fast_track": {"pk": request.pk},
        "committees:detail": {"slug": "valkeala"},
        "committees:workspace": {"slug": "valkeala"},
        "committees:meeting_new": {"slug": "valkeala"},
        "committees:adopt": {"slug": "valkeala"},
    }


def outcome(response) -> object:
    if response.status_code in (301, 302):
        return "login" if "/accounts/login/" in response["Location"] else "redirect"
    if response.status_code == 200 and (
        response.get("Content-Disposition")
        or response.get("Content-Type", "").startswith(
            (
                "application/pdf",
                "application/json",
                "text/plain",
                "image/",
                "text/csv",
                "application/vnd",
            )
        )
    ):
        return "file"
    return response.status_code


def _ready_report(coordinator):
    """A finished annual report the coordinator has not published."""
    import datetime as dt

    from django.core.files.base import ContentFile

    from budgets.models import Report, ReportKind, ReportStatus

    report = Report.objects.create(
        kind=ReportKind.ANNUAL,
        period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2023, 12, 31),
        requested_by=coordinator,
    )
    report.pdf.save("matrix.pdf", ContentFile(b"%PDF-1.7 matrix"), save=False)
    report.status = ReportStatus.READY
    report.html = "<p>Raportti</p>"
    report.save()
    return report

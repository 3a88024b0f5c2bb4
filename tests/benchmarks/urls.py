"""The site's URLs plus the baselines for page benchmarks: a minimal view, and the least an
authenticated vote can be in this stack (the floor for voting_bench)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import path

from omakouvola.urls import urlpatterns as site_patterns

FLOOR_PAGE = (
    '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
    '<input type="checkbox" name="proposals" value="1"><button>OK</button></form>'
)


def minimal(request):
    return HttpResponse("ok")


@login_required
def floor(request):
    """A form behind sign-in whose POST stores the choice: a session and its user read on
    each request, a CSRF token, one write. No template, no ballot, no eligibility, no
    sealing, no receipt: nothing a real vote page can do without, so nothing any ballot page
    on this stack (Django, PostgreSQL sessions, the site's middleware) can be faster than."""
    if request.method == "POST":
        request.session["floor_choice"] = request.POST.getlist("proposals")
        return HttpResponseRedirect("/bench/minimal/")
    return HttpResponse(FLOOR_PAGE.format(get_token(request)))


urlpatterns = [path("bench/minimal/", minimal), path("bench/floor/", floor), *site_patterns]

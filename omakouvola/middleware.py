"""Staff use their powers only with a second factor when MFA_REQUIRED_FOR_STAFF is on.

The admin as a whole, and every page outside it whose guard asks a staff rule (the
clerk's paper-vote pages, the decision maker's, dashboards, committee workspaces and
chair pages): `omakouvola.rules.check` raises SecondFactorRequired, answered here.
The guard's SignInRequired is answered here too, with the sign-in page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .rules import SecondFactorRequired, SignInRequired

SECOND_FACTOR_NEEDED = _(
    "This page is for the city's staff and elected members: set up two-factor authentication first."
)


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.MFA_REQUIRED_FOR_STAFF
            and user is not None
            and user.is_authenticated
            and (user.is_staff or user.is_superuser)
            and request.path.startswith("/admin/")
        ):
            from allauth.mfa.models import Authenticator

            if not Authenticator.objects.filter(user=user).exists():
                messages.warning(request, SECOND_FACTOR_NEEDED)
                return redirect(reverse("mfa_index"))
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, SignInRequired):
            return redirect_to_login(request.get_full_path())
        if isinstance(exception, SecondFactorRequired):
            messages.warning(request, SECOND_FACTOR_NEEDED)
            return redirect(reverse("mfa_index"))
        return None

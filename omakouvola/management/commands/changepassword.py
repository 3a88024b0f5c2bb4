"""Django's `changepassword`, and the person hears of it: audited and told by e-mail.

A password set from the server's shell is a change to someone's account like any other
(issue 12): the audit log records that it changed (never the value) and the person gets
the same "your account changed" message as after changing it themselves.
"""

from __future__ import annotations

import getpass

from django.contrib.auth.management.commands import changepassword

from omakouvola import services
from omakouvola.models import User


class Command(changepassword.Command):
    def handle(self, *args, **options):
        username = options["username"] or getpass.getuser()
        result = super().handle(*args, **options)  # refuses with CommandError, or changed
        user = User._default_manager.using(options["database"]).get(
            **{User.USERNAME_FIELD: username}
        )
        services.user_account_changed(actor=None, user=user, changed=["password"])
        return result

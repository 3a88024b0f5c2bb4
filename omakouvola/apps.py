from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The coordinator runs the cycle: areas, cycles and user accounts; reads the logs.
ROLE_PERMISSIONS = {
    "coordinator": {
        "user": ["view", "add", "change"],
        "area": ["view", "add", "change"],
        "postalcode": ["view", "add", "change", "delete"],
        "cycle": ["view", "add", "change"],
        "auditentry": ["view"],
        "notification": ["view"],
        # Read-only page; "change" is the right to retry failed work.
        "workattempt": ["view", "change"],
    },
    "city_team": {"area": ["view"], "cycle": ["view"]},
}


class OmaKouvolaConfig(AppConfig):
    name = "omakouvola"
    verbose_name = _("OmaKouvola: people, areas and cycles")

    def ready(self) -> None:
        from . import celery, roles, tasking  # noqa: F401 - celery: the app tasks are sent with

        roles.connect(self, ROLE_PERMISSIONS)
        # django.contrib.auth is listed first, so its `changepassword` would win over
        # ours: the name resolves to auth's module, which now holds our audited command.
        from django.contrib.auth.management.commands import changepassword as django_command

        from .management.commands import changepassword as audited

        django_command.Command = audited.Command
        tasking.register_stuck_finder("omakouvola.tasks.send_notification_task", _unsent)
        _connect_navigation()


def _connect_navigation() -> None:
    """The header's cached role links follow changes to accounts, groups and permissions."""
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from . import navigation
    from .models import User

    post_save.connect(navigation.forget_saved_user, sender=User, dispatch_uid="nav-user")
    m2m_changed.connect(
        navigation.forget_group_members, sender=User.groups.through, dispatch_uid="nav-groups"
    )
    m2m_changed.connect(
        navigation.group_permissions_changed,
        sender=Group.permissions.through,
        dispatch_uid="nav-group-perms",
    )
    m2m_changed.connect(
        navigation.forget_group_members,
        sender=User.user_permissions.through,
        dispatch_uid="nav-user-perms",
    )
    post_delete.connect(
        lambda **_kw: navigation.roles_changed(),
        sender=Group,
        dispatch_uid="nav-group-gone",
        weak=False,
    )


def _unsent(cutoff):
    """Messages still waiting long after they were written (the task never ran)."""
    from .models import Notification

    ids = Notification.objects.filter(
        status=Notification.Status.PENDING, created_at__lt=cutoff
    ).values_list("pk", flat=True)
    return ([pk] for pk in ids)

"""Role groups and their admin permissions, kept in step after every migrate and flush.

Each app declares what each city role may do in its admin (ROLE_PERMISSIONS in its
apps.py); `grant_role_permissions` runs from post_migrate, which Django also sends after a
test database is flushed, so the groups are always there.
"""

from __future__ import annotations

from collections.abc import Mapping

from .models import Role

# role -> model -> actions
RoleSpec = Mapping[str, Mapping[str, list[str]]]


def grant_role_permissions(app_label: str, spec: RoleSpec, using: str = "default") -> None:
    from django.contrib.auth.models import Group, Permission

    for role in Role.values:
        Group.objects.using(using).get_or_create(name=role)
    for role, models in spec.items():
        group = Group.objects.using(using).get(name=role)
        codenames = [f"{action}_{model}" for model, actions in models.items() for action in actions]
        group.permissions.add(
            *Permission.objects.using(using).filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        )


def connect(app_config, spec: RoleSpec) -> None:
    """Grant `spec` for `app_config` after each migrate (and test-database flush)."""
    from django.db.models.signals import post_migrate

    def handler(sender, using="default", **kwargs):
        grant_role_permissions(app_config.label, spec, using=using)

    post_migrate.connect(
        handler, sender=app_config, weak=False, dispatch_uid=f"roles-{app_config.label}"
    )

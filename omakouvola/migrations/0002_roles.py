"""The city roles as Django groups, with the admin permissions each needs."""

from django.db import migrations

ROLES = [
    "coordinator",
    "city_team",
    "sector_expert",
    "decision_maker",
    "council",
    "paper_vote_clerk",
]

# The coordinator runs the cycle: areas, cycles and user accounts; reads the logs.
COORDINATOR_PERMISSIONS = [
    ("omakouvola", "user", ["view", "add", "change"]),
    ("omakouvola", "area", ["view", "add", "change"]),
    ("omakouvola", "postalcode", ["view", "add", "change", "delete"]),
    ("omakouvola", "cycle", ["view", "add", "change"]),
    ("omakouvola", "auditentry", ["view"]),
    ("omakouvola", "notification", ["view"]),
    ("auth", "group", ["view"]),
]
CITY_TEAM_PERMISSIONS = [
    ("omakouvola", "area", ["view"]),
    ("omakouvola", "cycle", ["view"]),
]


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; make them now to attach them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLES}
    for group_name, spec in (
        ("coordinator", COORDINATOR_PERMISSIONS),
        ("city_team", CITY_TEAM_PERMISSIONS),
    ):
        for app_label, model, actions in spec:
            codenames = [f"{action}_{model}" for action in actions]
            perms = Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
            groups[group_name].permissions.add(*perms)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("omakouvola", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]

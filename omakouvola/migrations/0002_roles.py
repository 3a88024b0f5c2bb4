"""The city roles as Django groups.

Their admin permissions are granted after every migrate by omakouvola.roles (each app
declares its own), so they stay right as apps add models.
"""

from django.db import migrations

ROLES = [
    "coordinator",
    "city_team",
    "sector_expert",
    "decision_maker",
    "council",
    "paper_vote_clerk",
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("omakouvola", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]

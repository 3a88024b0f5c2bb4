# The audit log shows each action translated; the choices are a callable, so a new action
# needs no migration.

import omakouvola.audit
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("omakouvola", "0006_workattempt_failed_at_and_periodic"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=omakouvola.audit.action_choices,
                db_index=True,
                max_length=80,
                verbose_name="action",
            ),
        ),
    ]

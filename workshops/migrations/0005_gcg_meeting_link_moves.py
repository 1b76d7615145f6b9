"""Step 1 of moving the link between a GCG meeting and its event onto the meeting (see
governance 0008): the old link gives up its reverse name, so the meeting's new field can take it.
No change to the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0007_constituency_seats_held_by"),
        ("workshops", "0004_one_record_per_gcg_meeting"),
    ]

    operations = [
        migrations.AlterField(
            model_name="event",
            name="gcg_meeting",
            field=models.OneToOneField(
                blank=True,
                help_text="For a GCG meeting: the governance record its decisions are filed under.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="governance.gcgmeeting",
                verbose_name="numbered GCG meeting",
            ),
        ),
    ]

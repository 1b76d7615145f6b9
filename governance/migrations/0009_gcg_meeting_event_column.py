"""Step 2 of moving the link between a GCG meeting and its event onto the meeting: the
meeting's column (empty for now; 0009 fills it, 0010 makes it required). Schema only, so that
on PostgreSQL no table is altered in the transaction that writes rows (pending trigger events)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0008_organisation_iati_identifier"),
        ("workshops", "0005_gcg_meeting_link_moves"),
    ]

    operations = [
        migrations.AddField(
            model_name="gcgmeeting",
            name="event",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="workshops.event",
                verbose_name="event",
            ),
        ),
        migrations.AddField(
            model_name="historicalgcgmeeting",
            name="event",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The meeting itself: agenda, participants, documents and minutes.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="workshops.event",
                verbose_name="event",
            ),
        ),
    ]

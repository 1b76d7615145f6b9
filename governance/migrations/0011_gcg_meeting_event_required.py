"""Every GCG meeting has its event (NOT NULL, unique), and an event reads its GCG meeting as
``event.gcg_meeting`` again, now from the meeting's side."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0010_gcg_meeting_has_its_event"),
        ("workshops", "0006_event_link_is_on_the_gcg_meeting"),
    ]

    operations = [
        migrations.AlterField(
            model_name="gcgmeeting",
            name="event",
            field=models.OneToOneField(
                help_text="The meeting itself: agenda, participants, documents and minutes.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="gcg_meeting",
                to="workshops.event",
                verbose_name="event",
            ),
        ),
    ]

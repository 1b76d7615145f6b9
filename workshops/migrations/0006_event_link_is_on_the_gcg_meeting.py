"""The event no longer carries the link to its GCG meeting: the meeting carries it
(governance 0008-0010), so no GCG meeting can be without its event. Going back restores the column,
and governance 0009 fills it again."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0010_gcg_meeting_has_its_event"),
        ("workshops", "0005_gcg_meeting_link_moves"),
    ]

    operations = [
        migrations.RemoveField(model_name="event", name="gcg_meeting"),
        migrations.RemoveField(model_name="historicalevent", name="gcg_meeting"),
    ]

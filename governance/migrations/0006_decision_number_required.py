from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0005_decision_numbered_by_meeting"),
        ("workshops", "0004_one_record_per_gcg_meeting"),
    ]

    operations = [
        migrations.AlterField(
            model_name="decision",
            name="number",
            field=models.PositiveIntegerField(editable=False, verbose_name="number at the meeting"),
        ),
        migrations.AlterField(
            model_name="historicaldecision",
            name="number",
            field=models.PositiveIntegerField(editable=False, verbose_name="number at the meeting"),
        ),
    ]

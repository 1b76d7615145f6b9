import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Countries and focal points now live in alliance87 (the reference data every area
    shares). Their tables stay as they are: only Django's picture of them moves."""

    dependencies = [
        ("alliance87", "0001_reference_data_moves_from_pathfinders"),
        ("pathfinders", "0008_value_change_note"),
        # Every other foreign key to a country points at alliance87 first.
        ("financing", "0006_countries_live_in_alliance87"),
        ("governance", "0012_countries_live_in_alliance87"),
        ("workshops", "0007_countries_live_in_alliance87"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="pathfindercountry",
                    name="country",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="pathfinder",
                        to="alliance87.country",
                        verbose_name="country",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalpathfindercountry",
                    name="country",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="alliance87.country",
                        verbose_name="country",
                    ),
                ),
                migrations.DeleteModel(name="HistoricalFocalPoint"),
                migrations.DeleteModel(name="FocalPoint"),
                migrations.DeleteModel(name="Country"),
            ],
            database_operations=[],
        ),
    ]

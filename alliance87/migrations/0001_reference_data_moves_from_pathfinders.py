"""Countries and focal points move from pathfinders to alliance87, the reference data every
area shares. Their tables keep their names and rows: only Django's picture of them moves
(pathfinders 0009 lets go of them), and their content types are renamed in place, so
permissions, admin log entries and history keep pointing at them."""

import alliance87.timezones
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MOVED_MODELS = ["country", "focalpoint", "historicalfocalpoint"]


def _rename_content_types(apps, db: str, old_label: str, new_label: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED_MODELS:
        old = ContentType.objects.using(db).filter(app_label=old_label, model=model).first()
        if old is None:
            continue  # a fresh database: post_migrate creates the content types afterwards
        # One created under the new label by an earlier run holds nothing worth keeping.
        ContentType.objects.using(db).filter(app_label=new_label, model=model).delete()
        old.app_label = new_label
        old.save(update_fields=["app_label"])


def move_content_types(apps, schema_editor) -> None:
    _rename_content_types(apps, schema_editor.connection.alias, "pathfinders", "alliance87")


def move_content_types_back(apps, schema_editor) -> None:
    _rename_content_types(apps, schema_editor.connection.alias, "alliance87", "pathfinders")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        # The tables are created (on a fresh database) and filled (on one in use) there.
        ("pathfinders", "0008_value_change_note"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Country',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('iso_code', models.CharField(help_text='Two letters, e.g. FJ.', max_length=2, unique=True, verbose_name='ISO 3166 code')),
                        ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                        ('ilo_region', models.CharField(choices=[('africa', 'Africa'), ('americas', 'Americas'), ('arab_states', 'Arab States'), ('asia_pacific', 'Asia and the Pacific'), ('europe_central_asia', 'Europe and Central Asia')], max_length=30, verbose_name='ILO region')),
                        ('time_zone', models.CharField(default='UTC', help_text='The IANA time zone of the capital, e.g. Pacific/Fiji: report deadlines end at midnight there.', max_length=64, validators=[alliance87.timezones.validate_time_zone], verbose_name='time zone')),
                    ],
                    options={
                        'verbose_name': 'country',
                        'verbose_name_plural': 'countries',
                        'db_table': 'pathfinders_country',
                        'ordering': ['name'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('iso_code__regex', '^[A-Z]{2}$')), name='pathfinders_country_iso_code_two_capitals')],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalFocalPoint',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('capacity', models.CharField(choices=[('government', 'Government focal point'), ('workers', "Workers' representative"), ('employers', "Employers' representative")], default='government', max_length=20, verbose_name='capacity')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('country', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='alliance87.country', verbose_name='country')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                    ],
                    options={
                        'verbose_name': 'historical focal point',
                        'verbose_name_plural': 'historical focal points',
                        'db_table': 'pathfinders_historicalfocalpoint',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='FocalPoint',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('capacity', models.CharField(choices=[('government', 'Government focal point'), ('workers', "Workers' representative"), ('employers', "Employers' representative")], default='government', max_length=20, verbose_name='capacity')),
                        ('country', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='focal_points', to='alliance87.country', verbose_name='country')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='focal_point_assignments', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                    ],
                    options={
                        'verbose_name': 'focal point',
                        'verbose_name_plural': 'focal points',
                        'db_table': 'pathfinders_focalpoint',
                        'ordering': ['country__name', 'capacity'],
                        'constraints': [models.UniqueConstraint(fields=('user', 'country'), name='pathfinders_focal_point_unique')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back, elidable=False),
    ]

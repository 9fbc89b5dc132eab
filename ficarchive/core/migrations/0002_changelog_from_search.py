import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """The change log moves from the search app to core: state only, the table stays."""

    dependencies = [
        ("core", "0001_initial"),
        ("search", "0002_pending"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ChangeLog",
                    fields=[
                        ("id", models.BigAutoField(primary_key=True, serialize=False)),
                        ("work_id", models.BigIntegerField()),
                        ("reason", models.CharField(max_length=200)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("indexed_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        "db_table": "search_changelog",
                        "indexes": [
                            models.Index(
                                condition=models.Q(("indexed_at__isnull", True)),
                                fields=["id"],
                                name="changelog_pending_idx",
                            ),
                            models.Index(fields=["created_at"], name="changelog_created_idx"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

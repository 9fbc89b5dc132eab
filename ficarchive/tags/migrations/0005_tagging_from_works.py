import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Tagging moves from works to tags: state only, the table keeps its name."""

    dependencies = [
        ("tags", "0004_wranglers_and_words"),
        ("works", "0005_moderation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Tagging",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("position", models.PositiveSmallIntegerField(default=0)),
                        (
                            "tag",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="taggings",
                                to="tags.tag",
                            ),
                        ),
                        (
                            "work",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="taggings",
                                to="works.work",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "works_tagging",
                        "ordering": ["position", "id"],
                        "constraints": [
                            models.UniqueConstraint(fields=("work", "tag"), name="tagging_unique")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

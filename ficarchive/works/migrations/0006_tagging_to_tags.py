from django.db import migrations, models


class Migration(migrations.Migration):
    """Tagging moves to tags (tags 0005 takes the table over): state only."""

    dependencies = [
        ("tags", "0005_tagging_from_works"),
        ("works", "0005_moderation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="work",
                    name="tags",
                    field=models.ManyToManyField(
                        related_name="works", through="tags.Tagging", to="tags.tag"
                    ),
                ),
                migrations.DeleteModel(name="Tagging"),
            ],
            database_operations=[],
        ),
    ]

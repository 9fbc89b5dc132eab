from django.db import migrations


class Migration(migrations.Migration):
    """The change log moves to core (core 0002 takes the table over): state only."""

    dependencies = [
        ("search", "0002_pending"),
        ("core", "0002_changelog_from_search"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ChangeLog")],
            database_operations=[],
        ),
    ]

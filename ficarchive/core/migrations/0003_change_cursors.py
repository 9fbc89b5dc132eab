from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def cursor_from_indexed_at(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """This node's search index keeps reading where `indexed_at` said it stood: after the
    last row below the first one it had not applied."""
    change_log = apps.get_model("core", "ChangeLog")
    change_cursor = apps.get_model("core", "ChangeCursor")
    rows = change_log.objects.using(schema_editor.connection.alias)
    if not rows.exists():
        return
    first_pending = rows.filter(indexed_at__isnull=True).aggregate(first=models.Min("id"))
    if first_pending["first"] is not None:
        last_id = first_pending["first"] - 1
    else:
        last_id = rows.aggregate(last=models.Max("id"))["last"]
    change_cursor.objects.using(schema_editor.connection.alias).create(
        consumer=f"search:{settings.NODE_NAME}", last_id=last_id
    )


def indexed_at_from_cursors(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    change_log = apps.get_model("core", "ChangeLog")
    change_cursor = apps.get_model("core", "ChangeCursor")
    alias = schema_editor.connection.alias
    last_id = change_cursor.objects.using(alias).aggregate(lowest=models.Min("last_id"))["lowest"]
    if last_id is not None:
        change_log.objects.using(alias).filter(id__lte=last_id).update(
            indexed_at=models.F("created_at")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_changelog_from_search"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChangeCursor",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("consumer", models.CharField(max_length=200, unique=True)),
                ("last_id", models.BigIntegerField(default=0)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.RunPython(cursor_from_indexed_at, indexed_at_from_cursors),
        migrations.RemoveIndex(model_name="changelog", name="changelog_pending_idx"),
        migrations.RemoveField(model_name="changelog", name="indexed_at"),
        migrations.AlterModelTable(name="changelog", table=None),
    ]

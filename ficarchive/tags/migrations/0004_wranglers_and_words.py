from django.db import migrations


def phrase_collation(apps, schema_editor):
    """On PostgreSQL, compare autocomplete phrases byte by byte, so that a prefix is one range
    of the index whatever the database's locale (SQLite compares that way already)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        'ALTER TABLE tags_tagword ALTER COLUMN phrase TYPE varchar(255) COLLATE "C"'
    )


def wranglers_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="tags", model="tag")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="wrangle_tag",
        defaults={"name": "Can wrangle tags"},
    )
    group, _ = Group.objects.get_or_create(name="wranglers")
    group.permissions.add(permission)


def words_for_existing_tags(apps, schema_editor):
    # Inside the function: the migration graph loads without importing app code.
    from ficarchive.tags.names import name_phrases

    Tag = apps.get_model("tags", "Tag")
    TagWord = apps.get_model("tags", "TagWord")
    last = 0
    while True:
        tags = list(
            Tag.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "name", "type", "canonical")[:5000]
        )
        if not tags:
            return
        TagWord.objects.bulk_create(
            TagWord(tag_id=pk, phrase=phrase, type=type_, canonical=canonical)
            for pk, name, type_, canonical in tags
            for phrase in name_phrases(name)
        )
        last = tags[-1][0]


class Migration(migrations.Migration):

    dependencies = [
        ("tags", "0003_wrangling"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(phrase_collation, migrations.RunPython.noop),
        migrations.RunPython(wranglers_group, migrations.RunPython.noop),
        migrations.RunPython(words_for_existing_tags, migrations.RunPython.noop),
    ]

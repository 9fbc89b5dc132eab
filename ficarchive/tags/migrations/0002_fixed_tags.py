import unicodedata

from django.db import migrations


def key(name):
    return unicodedata.normalize("NFKC", name).casefold()


def create_fixed_tags(apps, schema_editor):
    # Inside the function: the migration graph loads without importing app code.
    from ficarchive.tags.fixed import ARCHIVE_WARNINGS, CATEGORIES, RATINGS, WARNING_SYNONYMS

    Tag = apps.get_model("tags", "Tag")
    created = {}
    rows = [(name, "rating", adult) for name, adult in RATINGS]
    rows += [(name, "warning", False) for name in ARCHIVE_WARNINGS]
    rows += [(name, "category", False) for name in CATEGORIES]
    for name, type_, adult in rows:
        created[name], _ = Tag.objects.get_or_create(
            key=key(name), defaults={"name": name, "type": type_, "canonical": True, "adult": adult}
        )
    for synonym, canonical in WARNING_SYNONYMS.items():
        Tag.objects.get_or_create(
            key=key(synonym),
            defaults={"name": synonym, "type": "warning", "merger": created[canonical]},
        )


class Migration(migrations.Migration):
    dependencies = [("tags", "0001_initial")]
    operations = [migrations.RunPython(create_fixed_tags, migrations.RunPython.noop)]

from django.db import migrations


def create_english(apps, schema_editor):
    Language = apps.get_model("works", "Language")
    Language.objects.get_or_create(code="en", defaults={"name": "English"})


class Migration(migrations.Migration):
    dependencies = [("works", "0001_initial")]
    operations = [migrations.RunPython(create_english, migrations.RunPython.noop)]

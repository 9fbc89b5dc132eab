from django.db import migrations

# Languages creators can choose when posting, with their English names (as the importer names
# languages given by code); imports and admins may add others.
LANGUAGES = [
    ("ar", "Arabic"),
    ("ca", "Catalan"),
    ("cs", "Czech"),
    ("da", "Danish"),
    ("de", "German"),
    ("el", "Greek"),
    ("es", "Spanish"),
    ("fi", "Finnish"),
    ("fr", "French"),
    ("he", "Hebrew"),
    ("hi", "Hindi"),
    ("hu", "Hungarian"),
    ("id", "Indonesian"),
    ("it", "Italian"),
    ("ja", "Japanese"),
    ("ko", "Korean"),
    ("nl", "Dutch"),
    ("no", "Norwegian"),
    ("pl", "Polish"),
    ("pt-BR", "Portuguese (Brazil)"),
    ("pt-PT", "Portuguese (Portugal)"),
    ("ro", "Romanian"),
    ("ru", "Russian"),
    ("sv", "Swedish"),
    ("th", "Thai"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
    ("vi", "Vietnamese"),
    ("zh", "Chinese"),
]


def create_languages(apps, schema_editor):
    Language = apps.get_model("works", "Language")
    for code, name in LANGUAGES:
        if Language.objects.filter(code__iexact=code).exists():
            continue
        if Language.objects.filter(name__iexact=name).exists():
            continue
        Language.objects.create(code=code, name=name)


class Migration(migrations.Migration):
    dependencies = [("works", "0004_scheduling_backdating")]
    operations = [migrations.RunPython(create_languages, migrations.RunPython.noop)]

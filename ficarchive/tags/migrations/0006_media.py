import unicodedata

from django.db import migrations, models


def create_media(apps, schema_editor):
    """The media fandoms sit under, canonical and fixed; a name an archive already uses for
    another tag keeps that tag (names are unique across types) and the medium is left out."""
    # Inside the function: the migration graph loads without importing app code.
    from ficarchive.tags.fixed import MEDIA, UNCATEGORIZED_MEDIA
    from ficarchive.tags.names import name_phrases

    Tag = apps.get_model("tags", "Tag")
    TagWord = apps.get_model("tags", "TagWord")
    for name in (*MEDIA, UNCATEGORIZED_MEDIA):
        key = unicodedata.normalize("NFKC", name).casefold()
        tag, created = Tag.objects.get_or_create(
            key=key, defaults={"name": name, "type": "media", "canonical": True}
        )
        if created:
            TagWord.objects.bulk_create(
                TagWord(tag_id=tag.pk, phrase=phrase, type="media", canonical=True)
                for phrase in name_phrases(name)
            )


class Migration(migrations.Migration):

    dependencies = [
        ('tags', '0005_tagging_from_works'),
    ]

    operations = [
        migrations.AlterField(
            model_name='tag',
            name='type',
            field=models.CharField(choices=[('rating', 'Rating'), ('warning', 'Archive Warning'), ('category', 'Category'), ('fandom', 'Fandom'), ('relationship', 'Relationship'), ('character', 'Character'), ('freeform', 'Additional Tags'), ('media', 'Media')], max_length=16),
        ),
        migrations.AlterField(
            model_name='tagword',
            name='type',
            field=models.CharField(choices=[('rating', 'Rating'), ('warning', 'Archive Warning'), ('category', 'Category'), ('fandom', 'Fandom'), ('relationship', 'Relationship'), ('character', 'Character'), ('freeform', 'Additional Tags'), ('media', 'Media')], max_length=16),
        ),
        migrations.RunPython(create_media, migrations.RunPython.noop),
    ]

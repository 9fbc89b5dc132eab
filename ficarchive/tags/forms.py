"""Forms of the wrangling pages: each names tags the way wranglers type them, by name."""

from __future__ import annotations

from typing import Any

from django import forms

from ficarchive.core.forms import ArchiveForm
from ficarchive.tags.models import USER_DEFINED_TYPES, Tag, TagType, tag_key
from ficarchive.tags.names import clean_tag_name


class TagNameField(forms.CharField):
    """A tag named by its (exact, case-insensitive) name; cleans to the Tag."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Tag | None:
        name = clean_tag_name(super().clean(value) or "")
        if not name:
            if self.required:
                raise forms.ValidationError("Give a tag name.")
            return None
        tag = Tag.objects.filter(key=tag_key(name)).first()
        if tag is None:
            raise forms.ValidationError(f"There is no tag called '{name}'.")
        return tag


class TagIdField(forms.IntegerField):
    """A tag named by its id (the remove buttons); cleans to the Tag."""

    def clean(self, value: Any) -> Tag:
        pk = super().clean(value)
        tag = Tag.objects.filter(pk=pk).first()
        if tag is None:
            raise forms.ValidationError("That tag no longer exists.")
        return tag


class NamedTagForm(ArchiveForm):
    """One tag given by name: a synonym's canonical, a meta tag, a sub tag or a parent."""

    name = TagNameField(label="Tag name")


class TagIdForm(ArchiveForm):
    """One tag given by id: the link to remove."""

    tag = TagIdField(widget=forms.HiddenInput)


class TypeForm(ArchiveForm):
    type = forms.ChoiceField(
        label="Type", choices=[(value, TagType(value).label) for value in USER_DEFINED_TYPES]
    )


class UnwrangleableForm(ArchiveForm):
    unwrangleable = forms.BooleanField(label="Unwrangleable", required=False)


class BinActionForm(ArchiveForm):
    """What to do with the tags ticked in a fandom's bin of unwrangled tags."""

    CANONICAL = "canonical"
    SYNONYM = "synonym"
    PARENT = "parent"
    UNWRANGLEABLE = "unwrangleable"

    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.none(), label="Tags", error_messages={"required": "Tick some tags."}
    )
    action = forms.ChoiceField(
        choices=[
            (CANONICAL, "Make canonical"),
            (SYNONYM, "Make synonyms of"),
            (PARENT, "Add to this fandom"),
            (UNWRANGLEABLE, "Mark unwrangleable"),
        ]
    )
    canonical = TagNameField(label="Canonical tag", required=False)

    def __init__(self, *args: Any, types: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tags"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Tag.objects.filter(type__in=types)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == self.SYNONYM and not data.get("canonical"):
            self.add_error("canonical", "Name the canonical tag to make them synonyms of.")
        return data

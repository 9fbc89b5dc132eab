"""The collections' forms: a collection's settings and texts, and adding or inviting a work."""

from __future__ import annotations

from typing import Any

from django import forms

from ficarchive.collections.services import NAME_MAX, CollectionFields
from ficarchive.core.forms import ArchiveForm
from ficarchive.works.models import TITLE_MAX, Collection, MaintainerRole, Work

TEXT_MAX = 50_000


class CollectionForm(ArchiveForm):
    name = forms.CharField(
        max_length=NAME_MAX,
        help_text="Its address, /collections/<name>: letters, digits and underscores.",
    )
    title = forms.CharField(max_length=TITLE_MAX)
    description = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)
    header_image_url = forms.URLField(
        label="Header image URL", required=False, max_length=500, assume_scheme="https"
    )
    parent_name = forms.CharField(
        label="Parent collection",
        required=False,
        max_length=NAME_MAX,
        help_text="The name of a collection you own, to make this one of its sub collections.",
    )
    profile = forms.CharField(required=False, max_length=TEXT_MAX, widget=forms.Textarea)
    rules = forms.CharField(required=False, max_length=TEXT_MAX, widget=forms.Textarea)
    faq = forms.CharField(label="FAQ", required=False, max_length=TEXT_MAX, widget=forms.Textarea)
    closed = forms.BooleanField(required=False, help_text="Takes no new works.")
    moderated = forms.BooleanField(required=False, help_text="New works wait for a maintainer.")
    unrevealed = forms.BooleanField(
        required=False, help_text="Its works are mysteries until they are revealed."
    )
    anonymous = forms.BooleanField(
        required=False, help_text="Its works' creators are Anonymous until they are revealed."
    )
    reveal_at = forms.DateTimeField(
        label="Reveal works at",
        required=False,
        help_text="YYYY-MM-DD HH:MM (the archive's time zone); empty: reveal by hand.",
    )
    creators_reveal_at = forms.DateTimeField(
        label="Reveal creators at", required=False, help_text="YYYY-MM-DD HH:MM"
    )

    @classmethod
    def initial_for(cls, collection: Collection) -> dict[str, Any]:
        return {
            "name": collection.name,
            "title": collection.title,
            "description": collection.description,
            "header_image_url": collection.header_image_url,
            "parent_name": collection.parent.name if collection.parent else "",
            # The sanitised HTML is what is kept: it is edited as it shows.
            "profile": collection.profile,
            "rules": collection.rules,
            "faq": collection.faq,
            "closed": collection.closed,
            "moderated": collection.moderated,
            "unrevealed": collection.unrevealed,
            "anonymous": collection.anonymous,
            "reveal_at": collection.reveal_at,
            "creators_reveal_at": collection.creators_reveal_at,
        }

    def clean_parent_name(self) -> Collection | None:
        name = self.cleaned_data["parent_name"].strip()
        if not name:
            return None
        parent = Collection.objects.filter(name=name).first()
        if parent is None:
            raise forms.ValidationError(f"There is no collection named {name!r}.")
        return parent

    def fields_value(self) -> CollectionFields:
        data = self.cleaned_data
        return CollectionFields(
            name=data["name"].strip(),
            title=data["title"],
            description=data["description"],
            header_image_url=data["header_image_url"],
            parent=data["parent_name"],
            profile=data["profile"],
            rules=data["rules"],
            faq=data["faq"],
            closed=data["closed"],
            moderated=data["moderated"],
            unrevealed=data["unrevealed"],
            anonymous=data["anonymous"],
            reveal_at=data["reveal_at"],
            creators_reveal_at=data["creators_reveal_at"],
        )


class AddWorkForm(ArchiveForm):
    """A creator's choice of one of their works (the view gives the choices)."""

    work = forms.ModelChoiceField(queryset=Work.objects.none(), empty_label=None)

    def __init__(self, *args: Any, works: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["work"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = works


class InviteForm(ArchiveForm):
    work_id = forms.IntegerField(label="Work ID", min_value=1)


class MaintainerForm(ArchiveForm):
    login = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=MaintainerRole.choices)

"""The base of every form of the archive: text that a database or a page cannot hold is
refused with a message before any field looks at it, and every length and id is bounded.

Issue 17, findings 4 and 6: a NUL in a tag answered 500 on PostgreSQL (which cannot store it)
and saved an unreachable tag on SQLite; an out-of-range pseud id answered 500 on SQLite; a
50,000-character login name was never cut at its 254. Every form class of the archive derives
from ArchiveForm, ArchiveModelForm, or (Django's own auth forms) ArchiveFormMixin first;
tests/security/test_forms.py holds every form class to it.
"""

from __future__ import annotations

from typing import Any

import regex
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models

# C0 controls but tab, line feed and carriage return; DEL; and the C1 controls.
CONTROL_CHARACTERS = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_MESSAGE = (
    "This contains a control character (such as NUL), which cannot be kept. Remove it and try "
    "again: it is often an invisible leftover of copying from another program."
)
# A text field that names no limit of its own takes this one.
DEFAULT_MAX_LENGTH = 10_000
# The largest id the databases hold (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def control_character_in(value: Any) -> bool:
    """Whether a posted value (a string, or the list a multiple field gets) holds one."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.search(value) is not None
    if isinstance(value, list | tuple):
        return any(control_character_in(item) for item in value)
    return False


def refuse_control_characters(value: Any) -> None:
    if control_character_in(value):
        raise ValidationError(CONTROL_MESSAGE, code="control_character")


def _integer_key(field: forms.ModelChoiceField[Any]) -> bool:
    if field.queryset is None:
        return False
    meta = field.queryset.model._meta
    key = meta.get_field(field.to_field_name) if field.to_field_name else meta.pk
    return isinstance(key, models.AutoField | models.BigAutoField | models.IntegerField)


def _refuse_unknown_id(field: forms.Field, value: Any) -> None:
    """An id a database could not even look up (not a number, or beyond 64 bits) is an unknown
    choice, said as Django says it, not an OverflowError."""
    if not isinstance(field, forms.ModelChoiceField) or not _integer_key(field):
        return
    values = value if isinstance(value, list | tuple) else [value]
    for item in values:
        if item in field.empty_values:
            continue
        text = str(item).strip()
        if not text.isdigit() or int(text) > MAX_ID:
            multiple = isinstance(field, forms.ModelMultipleChoiceField)
            key = "invalid_pk_value" if multiple else "invalid_choice"
            raise ValidationError(
                field.error_messages[key], code=key, params={"value": text[:20], "pk": text[:20]}
            )


class ArchiveFormMixin:
    """Before every field of the form: control characters refused, every text field's length
    bounded (its own max_length, or DEFAULT_MAX_LENGTH), ids bounded; and every whole-number
    field kept within what the databases hold."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _bound_field(field)

    def _clean_fields(self) -> None:
        # Django's own loop (forms.Form._clean_fields), with the archive's checks first.
        form: Any = self
        for name, bound in form._bound_items():
            field = bound.field
            value = bound.initial if field.disabled else bound.data
            try:
                if not field.disabled:
                    refuse_control_characters(value)
                    _refuse_too_long(field, value)
                    _refuse_unknown_id(field, value)
                if isinstance(field, forms.FileField):
                    value = field.clean(value, bound.initial)
                else:
                    value = field.clean(value)
                form.cleaned_data[name] = value
                if hasattr(form, f"clean_{name}"):
                    form.cleaned_data[name] = getattr(form, f"clean_{name}")()
            except ValidationError as error:
                form.add_error(name, error)


def _refuse_too_long(field: forms.Field, value: Any) -> None:
    """A text field's own limit (checked as it is when the form is cleaned, since Django's
    AuthenticationForm sets one after the field is made, without a validator), or the
    default one."""
    if isinstance(field, forms.CharField) and isinstance(value, str):
        MaxLengthValidator(int(field.max_length or DEFAULT_MAX_LENGTH))(value)


def _bound_field(field: forms.Field) -> None:
    if isinstance(field, forms.IntegerField):
        if field.max_value is None:
            field.max_value = MAX_ID
            field.validators.append(MaxValueValidator(MAX_ID))
        if field.min_value is None:
            field.min_value = -MAX_ID
            field.validators.append(MinValueValidator(-MAX_ID))


class ArchiveForm(ArchiveFormMixin, forms.Form):
    """The base of every plain form of the archive."""


class ArchiveModelForm(ArchiveFormMixin, forms.ModelForm):
    """The base of every model form of the archive."""

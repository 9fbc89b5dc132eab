"""Fields the posting forms share: the text areas, the limits on what they take (the largest
archive's: titles 1-255 characters, summaries 1,250, notes 5,000, chapter text 10-510,000), and
tags typed as a comma-separated list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy

from ficarchive.tags.names import clean_tag_name, tag_name_error

SUMMARY_MAX = 1250
NOTES_MAX = 5000
CONTENT_MIN, CONTENT_MAX = 10, 510_000
CHAPTERS_MAX = 5000


def text_area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "cols": 60})


def text_field(**kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label="Text",
        max_length=CONTENT_MAX,
        strip=False,
        widget=text_area(20),
        help_text="Plain text (blank lines make paragraphs) or HTML.",
        **kwargs,
    )


class TagListField(forms.CharField):
    """Tags typed comma-separated; cleans to a list of distinct names, in order."""

    def __init__(self, *, tag_type: str, **kwargs: Any) -> None:
        self.tag_type = tag_type
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20_000)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "data-tag-list": "",
                "data-type": tag_type,
                "autocomplete": "off",
                "list": f"id_{tag_type}_suggestions",
                "data-autocomplete": reverse_lazy("tags:autocomplete"),
            }
        )

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        names: dict[str, str] = {}
        for part in text.replace("，", ",").replace("、", ",").split(","):
            name = clean_tag_name(part)
            if name:
                names.setdefault(name.casefold(), name)
        return list(names.values())

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        for name in value:
            problem = tag_name_error(name)
            if problem:
                raise forms.ValidationError(problem[0].upper() + problem[1:] + ".")

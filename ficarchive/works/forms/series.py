"""The series form: its title, summary, notes and "complete", and the place of each of its
works (or its removal), so that reordering works without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms

from ficarchive.core.forms import ArchiveForm
from ficarchive.works.forms.fields import text_area
from ficarchive.works.models import SerialWork, Series
from ficarchive.works.series import (
    SERIES_NOTES_MAX,
    SERIES_SUMMARY_MAX,
    SERIES_TITLE_MAX,
    SERIES_WORKS_MAX,
    SeriesFields,
)


class SeriesForm(ArchiveForm):
    title = forms.CharField(max_length=SERIES_TITLE_MAX)
    summary = forms.CharField(
        required=False, max_length=SERIES_SUMMARY_MAX, strip=False, widget=text_area(4)
    )
    notes = forms.CharField(
        required=False, max_length=SERIES_NOTES_MAX, strip=False, widget=text_area(4)
    )
    complete = forms.BooleanField(label="This series is complete", required=False)

    def __init__(self, *args: Any, serials: list[SerialWork] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.serials = serials or []
        for serial in self.serials:
            self.fields[f"place_{serial.work_id}"] = forms.IntegerField(
                label=f"Place of {serial.work.title}",
                min_value=1,
                max_value=SERIES_WORKS_MAX,
                initial=serial.position,
                widget=forms.NumberInput(attrs={"size": 4}),
            )
            self.fields[f"remove_{serial.work_id}"] = forms.BooleanField(
                label=f"Remove {serial.work.title} from the series", required=False
            )

    def rows(self) -> list[tuple[SerialWork, forms.BoundField, forms.BoundField]]:
        return [
            (serial, self[f"place_{serial.work_id}"], self[f"remove_{serial.work_id}"])
            for serial in self.serials
        ]

    def series_fields(self) -> SeriesFields:
        data = self.cleaned_data
        return SeriesFields(data["title"], data["summary"], data["notes"], data["complete"])

    def work_order(self) -> list[int]:
        """The kept works by the places given; equal places keep the series' current order."""
        data = self.cleaned_data
        kept = [s for s in self.serials if not data.get(f"remove_{s.work_id}")]
        kept.sort(key=lambda s: (data[f"place_{s.work_id}"], s.position))
        return [s.work_id for s in kept]


def series_initial(series: Series) -> dict[str, Any]:
    return {
        "title": series.title,
        "summary": series.summary,
        "notes": series.notes,
        "complete": series.complete,
    }

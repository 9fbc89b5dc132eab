"""Path converters every app's URLs share; importing this module registers them."""

from __future__ import annotations

from django.urls import register_converter


class IdConverter:
    """A database id: digits, few enough that the database can compare them (longer ones would
    overflow SQLite's integers and answer 500 instead of 404)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

"""Collections in Django's admin, to find them; their settings are edited on their pages,
whose services keep the works' flags."""

from __future__ import annotations

from django.contrib import admin

from ficarchive.works.models import Collection


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "title", "closed", "moderated", "unrevealed", "anonymous"]
    search_fields = ["name", "title"]
    readonly_fields = ["unrevealed", "anonymous", "reveal_at", "creators_reveal_at"]

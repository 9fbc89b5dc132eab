from django.contrib import admin

from ficarchive.social.models import Kudo


@admin.register(Kudo)
class KudoAdmin(admin.ModelAdmin):
    list_display = ["work", "user", "created_at"]
    raw_id_fields = ["work", "user"]

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from ficarchive.accounts.models import Invitation, InviteRequest, Preference, Pseud, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "is_active", "confirmed_at", "date_joined")


@admin.register(Pseud)
class PseudAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "is_default"]
    search_fields = ["name", "user__username"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "theme", "view_adult", "hide_warnings", "hide_freeform"]


@admin.register(InviteRequest)
class InviteRequestAdmin(admin.ModelAdmin):
    list_display = ["email", "created_at", "invited_at"]
    search_fields = ["email"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "created_at", "used_at", "used_by"]
    search_fields = ["email"]
    readonly_fields = ["token", "used_at", "used_by"]

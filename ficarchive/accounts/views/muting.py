"""Reader control pages: muting users and tags, default filters."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ficarchive.accounts.access import user_for
from ficarchive.accounts.current import logged_in_user
from ficarchive.accounts.models import MUTED_TAGS_MAX, Mute, MutedTag, Preference
from ficarchive.accounts.muting import MutingError, tag_mute, tag_unmute, user_mute, user_unmute
from ficarchive.core.forms import ArchiveForm, ArchiveModelForm
from ficarchive.tags.models import Tag, tag_key
from ficarchive.tags.names import clean_tag_name


class DefaultFiltersForm(ArchiveModelForm):
    class Meta:
        model = Preference
        fields = ["default_complete", "default_language"]


class MuteTagForm(ArchiveForm):
    tag = forms.CharField(
        label="Mute a tag",
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "data-tag-list": "",
                "data-autocomplete": reverse_lazy("tags:autocomplete"),
                "list": "mute-tag-list",
                "autocomplete": "off",
            }
        ),
    )

    def clean_tag(self) -> Tag:
        name = clean_tag_name(self.cleaned_data["tag"])
        tag = Tag.objects.filter(key=tag_key(name)).first() if name else None
        if tag is None:
            raise forms.ValidationError(f"There is no tag named {name!r}.")
        return tag


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        # As an address, never a view name: redirect("0") would look one up and fail.
        return HttpResponseRedirect(target)
    return redirect(default)


@require_POST
@login_required
def user_mute_toggle(request: HttpRequest, login: str) -> HttpResponse:
    """Mute or unmute a user (`action` says which), from their page or the muted list."""
    user, other = logged_in_user(request), user_for(login)
    if request.POST.get("action") == "unmute":
        user_unmute(user, other)
        messages.success(request, f"You unmuted {other.username}; their works show again.")
    else:
        try:
            user_mute(user, other)
        except MutingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"You muted {other.username}: their works no longer show in your listings and "
                "searches.",
            )
    return _back(request, "accounts:muted_users")


@login_required
def muted_users(request: HttpRequest) -> HttpResponse:
    mutes = Mute.objects.filter(user=logged_in_user(request)).select_related("muted")
    return render(request, "accounts/muted_users.html", {"mutes": mutes})


@login_required
def reader_filters(request: HttpRequest) -> HttpResponse:
    """Muted tags and default filters on one page."""
    user = logged_in_user(request)
    preference = user.preferences()
    defaults = DefaultFiltersForm(
        request.POST if "save_defaults" in request.POST else None, instance=preference
    )
    mute_form = MuteTagForm(request.POST if "mute_tag" in request.POST else None)
    if request.method == "POST":
        if "save_defaults" in request.POST and defaults.is_valid():
            defaults.instance.user = user
            defaults.save()
            messages.success(request, "Your default filters were saved.")
            return redirect("accounts:reader_filters")
        if "mute_tag" in request.POST and mute_form.is_valid():
            tag = mute_form.cleaned_data["tag"]
            try:
                tag_mute(user, tag)
            except MutingError as error:
                mute_form.add_error("tag", str(error))
            else:
                messages.success(request, f"You muted the tag {tag.name}.")
                return redirect("accounts:reader_filters")
    muted = MutedTag.objects.filter(user=user).select_related("tag", "tag__merger")
    context = {
        "defaults": defaults,
        "mute_form": mute_form,
        "muted_tags": muted,
        "muted_tags_max": MUTED_TAGS_MAX,
        "muted_user_count": Mute.objects.filter(user=user).count(),
    }
    return render(request, "accounts/reader_filters.html", context)


@require_POST
@login_required
def tag_mute_toggle(request: HttpRequest, tag_id: int) -> HttpResponse:
    """Mute or unmute one tag, from its tag page or the filters page."""
    user = logged_in_user(request)
    tag = Tag.objects.filter(pk=tag_id).first()
    if tag is None:
        messages.error(request, "That tag no longer exists.")
    elif request.POST.get("action") == "unmute":
        tag_unmute(user, tag.pk)
        messages.success(request, f"You unmuted the tag {tag.name}.")
    else:
        try:
            tag_mute(user, tag)
        except MutingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"You muted the tag {tag.name}: works with it (or its synonyms and sub tags) "
                "no longer show in your listings and searches.",
            )
    return _back(request, "accounts:reader_filters")

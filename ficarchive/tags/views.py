"""Wrangling pages (for wranglers and admins) and tag autocomplete (for everyone)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from ficarchive.tags import wrangling
from ficarchive.tags.autocomplete import tags_autocomplete
from ficarchive.tags.forms import (
    BinActionForm,
    NamedTagForm,
    TagIdForm,
    TypeForm,
    UnwrangleableForm,
)
from ficarchive.tags.models import (
    PARENT_TYPES,
    TAG_NAME_MAX,
    FilterTagging,
    Tag,
    Tagging,
    TagType,
    tag_key,
)
from ficarchive.tags.urlnames import tag_name_from_url, tag_url_name
from ficarchive.tags.wrangling import WranglingError

TAGS_PER_PAGE = 50
BIN_TYPES = (TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FREEFORM)


def wrangler_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (request.user.is_authenticated and request.user.is_wrangler):
            raise PermissionDenied("Only tag wranglers can wrangle tags.")
        return view(request, *args, **kwargs)

    return wrapped


def _text(request: HttpRequest, name: str) -> str:
    """A query parameter as text a database takes (PostgreSQL refuses NUL characters)."""
    return request.GET.get(name, "")[:200].replace("\x00", "")


def _page(request: HttpRequest, items: Any) -> Any:
    return Paginator(items, TAGS_PER_PAGE).get_page(request.GET.get("page"))


@require_GET
def autocomplete(request: HttpRequest) -> JsonResponse:
    """`?q=` with optional `type=`, `fandom=` (a fandom's name) and `canonical=1`."""
    query = _text(request, "q")
    type_ = request.GET.get("type") or None
    if type_ is not None and type_ not in TagType.values:
        return JsonResponse({"error": f"unknown type {type_[:40]!r}"}, status=400)
    fandom = None
    if _text(request, "fandom"):
        fandom = Tag.objects.named(_text(request, "fandom")).first()
        if fandom is None:
            return JsonResponse({"results": []})
    found = tags_autocomplete(
        query, type=type_, fandom=fandom, canonical_only=request.GET.get("canonical") == "1"
    )
    return JsonResponse({"results": [tag.as_json() for tag in found]})


@wrangler_required
def wrangle_home(request: HttpRequest) -> HttpResponse:
    """Canonical fandoms to wrangle, by name, and the bin of unwrangled fandoms."""
    fandoms = Tag.objects.filter(type=TagType.FANDOM, canonical=True)
    query = _text(request, "q").strip()
    if query:
        ids = [tag.id for tag in tags_autocomplete(query, type=TagType.FANDOM, limit=50)]
        fandoms = fandoms.filter(pk__in=ids)
    page = _page(request, fandoms.order_by("name"))
    return render(request, "tags/wrangle_home.html", {"page": page, "query": query})


@wrangler_required
def fandom_bin(request: HttpRequest, tag_id: int) -> HttpResponse:
    """A fandom's unwrangled characters, relationships or additional tags, used on its posted
    works, with their usage counts; ticked tags are wrangled together."""
    fandom = get_object_or_404(Tag, pk=tag_id, type=TagType.FANDOM, canonical=True)
    type_ = request.GET.get("type", TagType.CHARACTER)
    if type_ not in BIN_TYPES:
        type_ = TagType.CHARACTER
    here = f"{reverse('tags:fandom_bin', args=[fandom.pk])}?type={type_}"
    if request.method == "POST":
        form = BinActionForm(request.POST, types=BIN_TYPES)
        if form.is_valid():
            _bin_action(request, form.cleaned_data, fandom)
            return redirect(here)
        _form_errors(request, form)
    tags = Tag.objects.filter(type=type_).unwrangled().on_posted_works(fandom)
    page = _page(request, tags.order_by("-uses", "name"))
    context = {
        "fandom": fandom,
        "type": type_,
        "types": [(value, TagType(value).label) for value in BIN_TYPES],
        "page": page,
        "here": here,
    }
    return render(request, "tags/fandom_bin.html", context)


@wrangler_required
def fandom_bin_unsorted(request: HttpRequest) -> HttpResponse:
    """Fandoms used on posted works that are neither canonical nor synonyms."""
    here = reverse("tags:unwrangled_fandoms")
    if request.method == "POST":
        form = BinActionForm(request.POST, types=(TagType.FANDOM,))
        if form.is_valid():
            _bin_action(request, form.cleaned_data, None)
            return redirect(here)
        _form_errors(request, form)
    tags = Tag.objects.filter(type=TagType.FANDOM).unwrangled().on_posted_works()
    page = _page(request, tags.order_by("-uses", "name"))
    return render(request, "tags/unwrangled_fandoms.html", {"page": page, "here": here})


def _bin_action(request: HttpRequest, data: dict[str, Any], fandom: Tag | None) -> None:
    """Apply one action to each ticked tag; a refusal for one tag does not stop the others."""
    action, user, done = data["action"], request.user, 0
    for tag in data["tags"]:
        try:
            if action == BinActionForm.CANONICAL:
                wrangling.tag_make_canonical(tag, user=user)
                if fandom is not None:
                    wrangling.parent_add(fandom, tag, user=user)
            elif action == BinActionForm.SYNONYM:
                wrangling.tag_make_synonym(tag, data["canonical"], user=user)
            elif action == BinActionForm.PARENT:
                if fandom is None:
                    raise WranglingError("Fandoms have no parents.")
                wrangling.parent_add(fandom, tag, user=user)
            elif action == BinActionForm.UNWRANGLEABLE:
                wrangling.tag_set_unwrangleable(tag, True, user=user)
            done += 1
        except WranglingError as error:
            messages.error(request, f"{tag.name}: {error}")
    if done:
        messages.success(request, f"Wrangled {done} tag{'s' if done != 1 else ''}.")


def _form_errors(request: HttpRequest, form: forms.Form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


# The tag edit page: each form posts an `action`, handled by one service.
_ACTIONS: dict[str, tuple[type[forms.Form], Callable[[Tag, dict[str, Any], Any], object]]] = {
    "make_canonical": (
        forms.Form,
        lambda tag, data, user: wrangling.tag_make_canonical(tag, user=user),
    ),
    "make_noncanonical": (
        forms.Form,
        lambda tag, data, user: wrangling.tag_make_noncanonical(tag, user=user),
    ),
    "make_synonym": (
        NamedTagForm,
        lambda tag, data, user: wrangling.tag_make_synonym(tag, data["name"], user=user),
    ),
    "unlink_synonym": (
        TagIdForm,
        lambda tag, data, user: wrangling.tag_unlink_synonym(data["tag"], user=user),
    ),
    "unlink_merger": (
        forms.Form,
        lambda tag, data, user: wrangling.tag_unlink_synonym(tag, user=user),
    ),
    "add_meta": (
        NamedTagForm,
        lambda tag, data, user: wrangling.meta_tag_add(data["name"], tag, user=user),
    ),
    "remove_meta": (
        TagIdForm,
        lambda tag, data, user: wrangling.meta_tag_remove(data["tag"], tag, user=user),
    ),
    "add_sub": (
        NamedTagForm,
        lambda tag, data, user: wrangling.meta_tag_add(tag, data["name"], user=user),
    ),
    "remove_sub": (
        TagIdForm,
        lambda tag, data, user: wrangling.meta_tag_remove(tag, data["tag"], user=user),
    ),
    "add_parent": (
        NamedTagForm,
        lambda tag, data, user: wrangling.parent_add(data["name"], tag, user=user),
    ),
    "remove_parent": (
        TagIdForm,
        lambda tag, data, user: wrangling.parent_remove(data["tag"], tag, user=user),
    ),
    "remove_child": (
        TagIdForm,
        lambda tag, data, user: wrangling.parent_remove(tag, data["tag"], user=user),
    ),
    "set_unwrangleable": (
        UnwrangleableForm,
        lambda tag, data, user: wrangling.tag_set_unwrangleable(
            tag, data["unwrangleable"], user=user
        ),
    ),
    "change_type": (
        TypeForm,
        lambda tag, data, user: wrangling.tag_change_type(tag, data["type"], user=user),
    ),
}


@wrangler_required
def tag_edit(request: HttpRequest, tag_id: int) -> HttpResponse:
    """One tag: its type, canonical status, synonyms, meta and sub tags, parents and children,
    the works it finds, and its history."""
    tag = get_object_or_404(Tag.objects.select_related("merger"), pk=tag_id)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in _ACTIONS:
            messages.error(request, "Unknown action.")
            return redirect("tags:tag_edit", tag.pk)
        form_class, handle = _ACTIONS[action]
        form = form_class(request.POST)
        if form.is_valid():
            try:
                handle(tag, form.cleaned_data, request.user)
                messages.success(request, "Saved.")
            except WranglingError as error:
                messages.error(request, str(error))
        else:
            _form_errors(request, form)
        return redirect("tags:tag_edit", tag.pk)
    return render(request, "tags/tag_edit.html", _edit_context(tag))


def _edit_context(tag: Tag) -> dict[str, Any]:
    if tag.canonical:
        works = FilterTagging.objects.filter(filter=tag).count()
    else:
        works = Tagging.objects.filter(tag=tag).count()
    meta = tag.meta_taggings.select_related("meta_tag").order_by("meta_tag__name")
    sub = tag.sub_taggings.select_related("sub_tag").order_by("sub_tag__name")
    return {
        "tag": tag,
        "works_count": works,
        "synonyms": tag.synonyms.order_by("name"),
        "meta_taggings": meta,
        "sub_taggings": sub,
        "parents": Tag.objects.filter(child_taggings__child=tag).order_by("type", "name"),
        "children": Tag.objects.filter(parent_taggings__parent=tag).order_by("type", "name")[:500],
        "can_have_parents": bool(PARENT_TYPES.get(tag.type)),
        "parent_label": "Add a parent ({})".format(
            " or ".join(TagType(value).label.lower() for value in PARENT_TYPES.get(tag.type, ()))
        ),
        "type_form": TypeForm(initial={"type": tag.type}),
        "history": tag.changes.select_related("user")[:200],
    }


# How many tags of each type a tag page lists among a tag's children (a large fandom has
# thousands of characters; the works listing filters by them).
CHILDREN_SHOWN = 100


@require_GET
def tag_show(request: HttpRequest, tag_name: str) -> HttpResponse:
    """A tag's own page, for everyone: its type and status, its synonyms, parents, children,
    meta and sub tags, and the way to its works. A synonym's page says what it is a synonym
    of (its works are listed under the canonical)."""
    name = tag_name_from_url(tag_name)
    if "\x00" in name or len(name) > TAG_NAME_MAX:
        raise Http404("No such tag.")
    tag = Tag.objects.select_related("merger").filter(key=tag_key(name)).first()
    if tag is None:
        raise Http404("No such tag.")
    if tag_url_name(tag.name) != tag_name:
        return redirect("tags:tag", tag_url_name(tag.name))
    parents = Tag.objects.filter(child_taggings__child=tag).order_by("name")
    children = Tag.objects.filter(parent_taggings__parent=tag, merger__isnull=True)
    context = {
        "tag": tag,
        "synonyms": tag.synonyms.order_by("name") if tag.canonical else Tag.objects.none(),
        "parents": _by_type(parents),
        "children": _by_type(children.order_by("-canonical", "name"), CHILDREN_SHOWN),
        "meta_tags": Tag.objects.filter(sub_taggings__sub_tag=tag).order_by("name"),
        "sub_tags": Tag.objects.filter(meta_taggings__meta_tag=tag).order_by("name"),
    }
    return render(request, "tags/tag_show.html", context)


def _by_type(tags: Any, limit: int | None = None) -> list[tuple[str, list[Tag], int]]:
    """Tags grouped by type, in the work header's order: (label, tags, how many in all)."""
    groups: list[tuple[str, list[Tag], int]] = []
    present = set(tags.order_by().values_list("type", flat=True).distinct())
    for value in TagType.values:
        if value not in present:
            continue
        of_type = tags.filter(type=value)
        shown = list(of_type[:limit] if limit else of_type)
        if shown:
            total = of_type.count() if limit and len(shown) == limit else len(shown)
            groups.append((TagType(value).label, shown, total))
    return groups

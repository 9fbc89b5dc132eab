"""Collection pages: the index, a collection's works (through the one search engine, with
its filters, counts and tag cloud), its profile, rules and FAQ, the owners' form, adding and
inviting works, the maintainers' queue and a creator's answers. Thin views: fetch through
collections.access (and works.access for a work), validate, call one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ficarchive.accounts.current import logged_in_user
from ficarchive.accounts.models import User
from ficarchive.collections.access import (
    Need,
    collection_allows,
    collection_for,
    is_maintainer,
)
from ficarchive.collections.forms import AddWorkForm, CollectionForm, InviteForm, MaintainerForm
from ficarchive.collections.reveal import collection_reveal
from ficarchive.collections.services import (
    CollectionError,
    collection_create,
    collection_item_add,
    collection_item_invite,
    collection_item_remove,
    collection_item_respond,
    collection_item_review,
    collection_maintainer_add,
    collection_update,
)
from ficarchive.search.query import WorkQuery
from ficarchive.search.views import filtered_listing
from ficarchive.works.access import Need as WorkNeed
from ficarchive.works.access import work_for
from ficarchive.works.models import Approval, Collection, CollectionItem, Work

INDEX_PER_PAGE = 50


def collection_index(request: HttpRequest) -> HttpResponse:
    """Every top-level collection, by title, with its sub collections."""
    collections = Collection.objects.filter(parent__isnull=True).prefetch_related("children")
    page = Paginator(collections, INDEX_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "collections/collection_index.html", {"page": page})


def _approved(collection: Collection) -> QuerySet[CollectionItem]:
    return collection.items.filter(
        user_approval=Approval.APPROVED, collection_approval=Approval.APPROVED
    )


def collection_detail(request: HttpRequest, name: str) -> HttpResponse:
    """The collection's works, as the search page lists them (filters, counts, facets)."""
    collection = collection_for(request.user, name)

    def approved_works() -> QuerySet[Work]:
        ids = _approved(collection).values("work_id")
        return Work.objects.listed_for(request.user).filter(pk__in=ids).newest_first()

    context = filtered_listing(request, WorkQuery(collection_id=collection.pk), approved_works)
    # Mysteries are counted, never listed: only the maintainers' queue names them.
    context["mysteries"] = (
        _approved(collection)
        .filter(work__in_unrevealed_collection=True, work__posted=True, work__hidden_by_admin=False)
        .count()
    )
    context.update(_header(request, collection))
    return render(request, "collections/collection_detail.html", context)


def _header(request: HttpRequest, collection: Collection) -> dict[str, Any]:
    return {
        "collection": collection,
        "children": list(collection.children.all()),
        "maintains": is_maintainer(collection, request.user),
    }


def collection_profile(request: HttpRequest, name: str) -> HttpResponse:
    """The collection's profile, rules and FAQ."""
    collection = collection_for(request.user, name)
    maintainers = collection.maintainerships.select_related("user").order_by("role", "user_id")
    context = _header(request, collection)
    context["maintainerships"] = maintainers
    return render(request, "collections/collection_profile.html", context)


@login_required
def collection_new(request: HttpRequest) -> HttpResponse:
    form = CollectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            collection = collection_create(logged_in_user(request), form.fields_value())
        except CollectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{collection.title} is made: you are its owner.")
            return redirect("collections:collection_detail", collection.name)
    status = 400 if form.errors else 200
    return render(request, "collections/collection_form.html", {"form": form}, status=status)


@login_required
def collection_edit(request: HttpRequest, name: str) -> HttpResponse:
    collection = collection_for(request.user, name, Need.OWN)
    initial = CollectionForm.initial_for(collection)
    form = CollectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            collection_update(collection, logged_in_user(request), form.fields_value())
        except CollectionError as error:
            form.add_error(None, str(error))
            collection.refresh_from_db()
        else:
            messages.success(request, "The collection is saved.")
            return redirect("collections:collection_detail", collection.name)
    status = 400 if form.errors else 200
    context = {"form": form, "collection": collection}
    return render(request, "collections/collection_form.html", context, status=status)


def _own_works(request: HttpRequest, collection: Collection | None = None) -> QuerySet[Work]:
    user = logged_in_user(request)
    works = Work.objects.filter(creatorships__pseud__user=user, creatorships__approved=True)
    if collection is not None:
        works = works.exclude(collection_items__collection=collection)
    return works.distinct().order_by("title", "pk")


@login_required
def collection_add_work(request: HttpRequest, name: str) -> HttpResponse:
    """A creator adds one of their works to the collection."""
    collection = collection_for(request.user, name)
    works = _own_works(request, collection)
    form = AddWorkForm(request.POST or None, works=works)
    if request.method == "POST" and form.is_valid():
        work = form.cleaned_data["work"]
        return _add(request, collection, work, form)
    status = 400 if form.errors else 200
    context = {"form": form, "collection": collection, "works": works}
    return render(request, "collections/collection_add_work.html", context, status=status)


def _add(request: HttpRequest, collection: Collection, work: Work, form: Any) -> HttpResponse:
    try:
        item = collection_item_add(collection, work, logged_in_user(request))
    except CollectionError as error:
        form.add_error(None, str(error))
        context = {"form": form, "collection": collection}
        return render(request, "collections/collection_add_work.html", context, status=400)
    if item.collection_approval == Approval.APPROVED:
        messages.success(request, f"“{work.title}” is in {collection.title}.")
    else:
        messages.success(request, f"“{work.title}” waits for {collection.title}'s moderators.")
    return redirect("collections:collection_detail", collection.name)


@login_required
def work_add_to_collection(request: HttpRequest, work_id: int) -> HttpResponse:
    """From the work: its creator names a collection to add it to."""
    work = work_for(request.user, work_id, WorkNeed.EDIT)
    name = (request.POST.get("collection") or request.GET.get("collection") or "").strip()
    error = ""
    if request.method == "POST":
        collection = Collection.objects.filter(name=name).first()
        if collection is None:
            error = f"There is no collection named {name!r}." if name else "Name a collection."
        else:
            try:
                collection_item_add(collection, work, logged_in_user(request))
            except CollectionError as failure:
                error = str(failure)
            else:
                messages.success(request, f"“{work.title}” was added to {collection.title}.")
                return redirect("works:work_detail", work.pk)
    context = {"work": work, "name": name, "error": error}
    status = 400 if error else 200
    return render(request, "collections/work_add_to_collection.html", context, status=status)


@login_required
def collection_manage(request: HttpRequest, name: str) -> HttpResponse:
    """The maintainers' queue: items waiting for them, invitations waiting for creators,
    and those approved or rejected, unrevealed works named (maintainers may know them)."""
    collection = collection_for(request.user, name, Need.MODERATE)
    items = list(collection.items.select_related("work").order_by("-created_at", "-pk")[:500])
    groups = [
        ("Waiting for you", [i for i in items if i.collection_approval == Approval.UNREVIEWED]),
        ("Invited, waiting for their creators", [i for i in items if i.user_approval == 0]),
        ("Approved", [i for i in items if i.approved]),
        (
            "Rejected or declined",
            [i for i in items if Approval.REJECTED in (i.user_approval, i.collection_approval)],
        ),
    ]
    context = {
        **_header(request, collection),
        "groups": groups,
        "invite_form": InviteForm(),
        "maintainer_form": MaintainerForm(),
        "owns": collection_allows(collection, request.user, Need.OWN),
    }
    return render(request, "collections/collection_manage.html", context)


def _item(collection: Collection, item_id: str) -> CollectionItem:
    if not (item_id.isascii() and item_id.isdigit() and len(item_id) <= 18):
        raise Http404("No such item.")
    item = collection.items.select_related("work", "collection").filter(pk=int(item_id)).first()
    if item is None:
        raise Http404("No such item.")
    return item


@require_POST
@login_required
def collection_review(request: HttpRequest, name: str) -> HttpResponse:
    collection = collection_for(request.user, name, Need.MODERATE)
    item = _item(collection, request.POST.get("item", ""))
    action = request.POST.get("action", "")
    user = logged_in_user(request)
    try:
        if action in ("approve", "reject"):
            collection_item_review(item, user, approve=action == "approve")
        elif action == "remove":
            collection_item_remove(item, user)
        else:
            messages.error(request, "Choose approve, reject or remove.")
    except CollectionError as error:
        messages.error(request, str(error))
    return redirect("collections:collection_manage", collection.name)


@require_POST
@login_required
def collection_invite(request: HttpRequest, name: str) -> HttpResponse:
    collection = collection_for(request.user, name, Need.MODERATE)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the ID of a work to invite.")
        return redirect("collections:collection_manage", collection.name)
    try:
        work = work_for(request.user, form.cleaned_data["work_id"], WorkNeed.READ)
        collection_item_invite(collection, work, logged_in_user(request))
    except Http404:
        messages.error(request, "There is no such work.")
    except CollectionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{work.title}” is invited; its creators will answer.")
    return redirect("collections:collection_manage", collection.name)


@login_required
def my_collection_items(request: HttpRequest) -> HttpResponse:
    """The user's works in collections, with the invitations waiting for their answer."""
    user = logged_in_user(request)
    items = list(
        CollectionItem.objects.filter(
            work__creatorships__pseud__user=user, work__creatorships__approved=True
        )
        .select_related("work", "collection")
        .distinct()
        .order_by("-created_at", "-pk")[:500]
    )
    invitations = [item for item in items if item.user_approval == Approval.UNREVIEWED]
    context = {"items": items, "invitations": invitations}
    return render(request, "collections/my_collection_items.html", context)


@require_POST
@login_required
def my_collection_item_respond(request: HttpRequest, item_id: int) -> HttpResponse:
    item = CollectionItem.objects.select_related("work", "collection").filter(pk=item_id).first()
    user = logged_in_user(request)
    if item is None or not Work.objects.for_reading().get(pk=item.work_id).is_by(user):
        raise Http404("No such item.")
    action = request.POST.get("action", "")
    try:
        if action in ("accept", "decline"):
            collection_item_respond(item, user, accept=action == "accept")
        elif action == "remove":
            collection_item_remove(item, user)
        else:
            messages.error(request, "Choose accept, decline or remove.")
    except CollectionError as error:
        messages.error(request, str(error))
    return redirect("collections:my_collection_items")


@require_POST
@login_required
def collection_reveal_now(request: HttpRequest, name: str) -> HttpResponse:
    """An owner reveals the collection's works and creators now, before the reveal dates."""
    collection = collection_for(request.user, name, Need.OWN)
    revealed = collection_reveal(collection)
    messages.success(request, f"Revealed: {len(revealed)} work{'s' if len(revealed) != 1 else ''}.")
    return redirect("collections:collection_manage", collection.name)


@require_POST
@login_required
def collection_maintainer(request: HttpRequest, name: str) -> HttpResponse:
    """An owner makes a user an owner or a moderator."""
    collection = collection_for(request.user, name, Need.OWN)
    form = MaintainerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a login and a role.")
        return redirect("collections:collection_manage", collection.name)
    user = User.objects.by_login(form.cleaned_data["login"])
    if user is None:
        messages.error(request, f"There is no user {form.cleaned_data['login']!r}.")
    else:
        collection_maintainer_add(collection, user, form.cleaned_data["role"])
        messages.success(request, f"{user.username} is a {form.cleaned_data['role']} now.")
    return redirect("collections:collection_manage", collection.name)

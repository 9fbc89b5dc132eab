"""Tags: one tag with its canonical tag, synonyms, parents, children, meta and sub tags (as
its page shows them), and autocomplete (the site's own lookup). Tags are not works: they show
whoever uses them, and name no work."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from ficarchive.api.auth import read_viewer
from ficarchive.api.problems import PROBLEMS_READ, Problem
from ficarchive.api.schemas import TagRef
from ficarchive.core.site import absolute_url
from ficarchive.tags.autocomplete import tags_autocomplete
from ficarchive.tags.models import Tag, TagType
from ficarchive.tags.urlnames import tag_url_name

router = Router(tags=["tags"])
RELATED_MAX = 500


class TagOut(Schema):
    id: int
    name: str
    type: str
    canonical: bool
    unwrangleable: bool
    url: str
    created_at: Any
    merger: TagRef | None = Field(description="The canonical tag this one is a synonym of.")
    synonyms: list[TagRef]
    parents: list[TagRef]
    children: list[TagRef]
    meta_tags: list[TagRef]
    sub_tags: list[TagRef]


class SuggestionOut(Schema):
    id: int
    name: str
    type: str
    canonical: bool


class AutocompleteParams(Schema):
    q: str = Field(..., min_length=1, max_length=200)
    type: TagType | None = None
    canonical: bool = False
    limit: int = Field(10, ge=1, le=50)


class AutocompleteOut(Schema):
    results: list[SuggestionOut]


def _refs(tags: Any) -> list[dict[str, Any]]:
    return [{"id": tag.pk, "name": tag.name, "type": tag.type} for tag in tags[:RELATED_MAX]]


@router.get(
    "/tags/autocomplete",
    response={200: AutocompleteOut, PROBLEMS_READ: Problem},
    auth=read_viewer,
    operation_id="tags_autocomplete",
    summary="Tags whose words start with the words typed",
)
def autocomplete(request: HttpRequest, params: Query[AutocompleteParams]) -> Any:
    found = tags_autocomplete(
        params.q, type=params.type, canonical_only=params.canonical, limit=params.limit
    )
    return {"results": [suggestion.as_json() for suggestion in found]}


@router.get(
    "/tags/{tag_id}",
    response={200: TagOut, PROBLEMS_READ: Problem},
    auth=read_viewer,
    operation_id="tag_get",
    summary="A tag and its place among the others",
)
def tag_get(request: HttpRequest, tag_id: int) -> Any:
    tag = (
        Tag.objects.select_related("merger").filter(pk=tag_id).first()
        if 0 < tag_id < 2**63
        else None
    )
    if tag is None:
        raise Http404("No such tag.")
    by_name = ("name",)
    return {
        "id": tag.pk,
        "name": tag.name,
        "type": tag.type,
        "canonical": tag.canonical,
        "unwrangleable": tag.unwrangleable,
        "url": absolute_url("/tags/" + quote(tag_url_name(tag.name))),
        "created_at": tag.created_at,
        "merger": _refs([tag.merger])[0] if tag.merger else None,
        "synonyms": _refs(tag.synonyms.order_by(*by_name)),
        "parents": _refs(Tag.objects.filter(child_taggings__child=tag).order_by(*by_name)),
        "children": _refs(Tag.objects.filter(parent_taggings__parent=tag).order_by(*by_name)),
        "meta_tags": _refs(
            Tag.objects.filter(sub_taggings__sub_tag=tag, sub_taggings__direct=True).order_by(
                *by_name
            )
        ),
        "sub_tags": _refs(
            Tag.objects.filter(meta_taggings__meta_tag=tag, meta_taggings__direct=True).order_by(
                *by_name
            )
        ),
    }

"""Posting and editing works and chapters: the JSON body is handed to the posting forms
(works.forms: the same validation, limits and sanitising) and then to the posting services
(works.posting), as the site's pages do. A creator reaches only their own works (work_for with
Need.EDIT); everything else is 404, as on the site."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.db import models
from django.http import Http404, HttpRequest, QueryDict
from django.utils import timezone
from ninja import Field, Schema, Status

from ficarchive.api.auth import write_viewer
from ficarchive.api.problems import PROBLEMS_WRITE, ApiError, Problem
from ficarchive.api.schemas import ChapterOut, WorkDetail, chapter_out, work_detail
from ficarchive.api.views import works
from ficarchive.works.access import Need, chapter_for, work_for
from ficarchive.works.forms.chapter import ChapterForm, chapter_initial
from ficarchive.works.forms.work import WorkForm, user_zone, work_initial
from ficarchive.works.models import Language, Work
from ficarchive.works.posting import (
    PostingError,
    chapter_add,
    chapter_update,
    work_create,
    work_update,
)

# The works' own router: ninja answers one path from one router only (GET and POST /works).
router = works.router
TAGS = ["posting"]
_TAG_LISTS = ("fandoms", "relationships", "characters", "freeforms")
TEXT_MAX = 600_000


class WorkIn(Schema):
    """A work's fields as the posting form has them; on an edit, only those given change."""

    title: str | None = Field(None, max_length=1000)
    rating: str | None = Field(None, max_length=100, examples=["General Audiences"])
    warnings: list[str] | None = Field(None, examples=[["No Archive Warnings Apply"]])
    categories: list[str] | None = None
    fandoms: list[str] | None = None
    relationships: list[str] | None = None
    characters: list[str] | None = None
    freeforms: list[str] | None = None
    language: str | None = Field(None, max_length=35, description="A language code: en, fr, ...")
    pseuds: list[int] | None = Field(None, description="Your pseuds' ids; default: your default.")
    summary: str | None = Field(None, max_length=TEXT_MAX)
    notes: str | None = Field(None, max_length=TEXT_MAX)
    endnotes: str | None = Field(None, max_length=TEXT_MAX)
    restricted: bool | None = None
    anonymous: bool | None = None
    comment_permission: Literal["anyone", "users", "nobody"] | None = None
    comments_moderated: bool | None = None
    expected_chapters: int | None = Field(None, ge=1, le=10_000)
    publish_at: datetime | None = Field(None, description="Schedule a draft for this time.")
    chapter_title: str | None = Field(None, max_length=1000)
    text: str | None = Field(None, max_length=TEXT_MAX, description="The first chapter's text.")
    post: bool = Field(
        False, description="Post now (or at publish_at); false keeps or saves a draft."
    )


class ChapterIn(Schema):
    title: str | None = Field(None, max_length=1000)
    summary: str | None = Field(None, max_length=TEXT_MAX)
    notes: str | None = Field(None, max_length=TEXT_MAX)
    endnotes: str | None = Field(None, max_length=TEXT_MAX)
    text: str | None = Field(None, max_length=TEXT_MAX)
    expected_chapters: int | None = Field(None, ge=1, le=10_000)


def _form_data(values: dict[str, Any], zone: Any) -> QueryDict:
    """Values as the form's widgets would post them."""
    data = QueryDict(mutable=True)
    for name, value in values.items():
        if value is None or value is False:
            continue
        if name in _TAG_LISTS and isinstance(value, list):
            data[name] = ", ".join(str(item) for item in value)
        elif isinstance(value, list | tuple):
            data.setlist(
                name, [str(item.pk if isinstance(item, models.Model) else item) for item in value]
            )
        elif isinstance(value, models.Model):
            data[name] = str(value.pk)
        elif value is True:
            data[name] = "on"
        elif isinstance(value, datetime):
            aware = value if timezone.is_aware(value) else value.replace(tzinfo=zone)
            data[name] = aware.astimezone(zone).strftime("%Y-%m-%dT%H:%M:%S")
        elif isinstance(value, date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


def _errors(form: Any) -> ApiError:
    fields = [
        {"loc": ["body", name], "msg": " ".join(str(message) for message in messages)}
        for name, messages in form.errors.items()
    ]
    listed = "; ".join(f"{item['loc'][1]}: {item['msg']}" for item in fields)
    error = ApiError(422, f"The work could not be saved: {listed}")
    error.errors = fields
    return error


def _work_values(body: WorkIn, user: Any, work: Work | None) -> dict[str, Any]:
    values: dict[str, Any] = (
        work_initial(work)
        if work is not None
        else {
            "pseuds": [user.default_pseud()],
            "expected_chapters": 1,
            "language": Language.objects.filter(code="en").first(),
        }
    )
    given = body.model_dump(exclude_unset=True, exclude={"post"})
    if "language" in given and given["language"] is not None:
        language = Language.objects.filter(code__iexact=given["language"]).first()
        if language is None:
            raise ApiError(422, f"There is no language with the code {given['language'][:35]!r}.")
        given["language"] = language
    values.update(given)
    return values


def _detail(work: Work, viewer: Any) -> dict[str, Any]:
    work = work_for(viewer, work.pk, Need.EDIT)
    return work_detail(work, list(work.chapters.order_by("position")), viewer)


@router.post(
    "/works",
    response={201: WorkDetail, PROBLEMS_WRITE: Problem},
    auth=write_viewer,
    tags=TAGS,
    operation_id="work_create",
    summary="Post a work, save it as a draft, or schedule it",
)
def work_post(request: HttpRequest, body: WorkIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    form = WorkForm(_form_data(_work_values(body, user, None), user_zone(user)), user=user)
    if not form.is_valid():
        raise _errors(form)
    try:
        work = work_create(user, form.work_fields(), form.chapter_fields(), post=body.post)
    except PostingError as error:
        raise ApiError(422, str(error)) from None
    return Status(201, _detail(work, user))


@router.patch(
    "/works/{work_id}",
    response={200: WorkDetail, PROBLEMS_WRITE: Problem},
    auth=write_viewer,
    tags=TAGS,
    operation_id="work_edit",
    summary="Edit your work: the fields given change; `post` posts or schedules a draft",
)
def work_edit(request: HttpRequest, work_id: int, body: WorkIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    work = work_for(user, _id(work_id), Need.EDIT)
    values = _work_values(body, user, work)
    form = WorkForm(_form_data(values, user_zone(user)), user=user, work=work)
    if not form.is_valid():
        raise _errors(form)
    try:
        work = work_update(work, user, form.work_fields(), form.chapter_or_none(), post=body.post)
    except PostingError as error:
        raise ApiError(422, str(error)) from None
    return _detail(work, user)


def _chapter_values(body: ChapterIn, initial: dict[str, Any]) -> dict[str, Any]:
    given = body.model_dump(exclude_unset=True)
    names = {"title": "chapter_title", "summary": "chapter_summary", "notes": "chapter_notes"}
    names["endnotes"] = "chapter_endnotes"
    values = dict(initial)
    for key, value in given.items():
        values[names.get(key, key)] = value
    return values


@router.post(
    "/works/{work_id}/chapters",
    response={201: ChapterOut, PROBLEMS_WRITE: Problem},
    auth=write_viewer,
    tags=TAGS,
    operation_id="chapter_create",
    summary="Add a chapter to your work",
)
def chapter_post(request: HttpRequest, work_id: int, body: ChapterIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    work = work_for(user, _id(work_id), Need.EDIT)
    # As the form starts: the planned total, while it is more than the chapters so far.
    expected, count = work.expected_chapters, work.chapters.count()
    initial = {"expected_chapters": expected if expected and expected > count else None}
    form = ChapterForm(_form_data(_chapter_values(body, initial), None), work=work, adding=True)
    if not form.is_valid():
        raise _errors(form)
    chapter = chapter_add(
        work, form.chapter_fields(), expected_chapters=form.cleaned_data["expected_chapters"]
    )
    return Status(201, chapter_out(chapter))


@router.patch(
    "/works/{work_id}/chapters/{chapter_id}",
    response={200: ChapterOut, PROBLEMS_WRITE: Problem},
    auth=write_viewer,
    tags=TAGS,
    operation_id="chapter_edit",
    summary="Edit a chapter of your work: the fields given change",
)
def chapter_edit(request: HttpRequest, work_id: int, chapter_id: int, body: ChapterIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    chapter = chapter_for(user, _id(work_id), _id(chapter_id), Need.EDIT)
    form = ChapterForm(
        _form_data(_chapter_values(body, chapter_initial(chapter)), None),
        work=chapter.work,
        adding=False,
    )
    if not form.is_valid():
        raise _errors(form)
    return chapter_out(chapter_update(chapter, form.chapter_fields()))


def _id(value: int) -> int:
    if not 0 < value < 2**63:
        raise Http404("No such work.")
    return value

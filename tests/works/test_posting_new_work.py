"""The new-work form: posting, drafts, preview, validation that keeps the text."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.core.models import ChangeLog
from ficarchive.tags.models import FilterTagging, Tag, TagType
from ficarchive.works.models import Work
from tests.factories import TagFactory
from tests.html import parse
from tests.works.posting_data import TEXT, post_work, work_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(client: Client, author: User) -> User:
    client.force_login(author)
    return author


def test_a_guest_is_sent_to_log_in_before_the_form(client: Client) -> None:
    response = client.get("/works/new")
    assert response.status_code == 302
    assert response["Location"].startswith("/login?next=/works/new")


def test_the_form_offers_every_field_of_a_work(client: Client, writer: User) -> None:
    page = parse(client.get("/works/new").content)
    names = {
        node.attrs.get("name")
        for node in page.iter()
        if node.tag in {"input", "select", "textarea"}
    }
    assert {
        "title",
        "pseuds",
        "cocreators",
        "rating",
        "warnings",
        "categories",
        "fandoms",
        "relationships",
        "characters",
        "freeforms",
        "language",
        "summary",
        "notes",
        "endnotes",
        "restricted",
        "anonymous",
        "backdate",
        "published_on",
        "expected_chapters",
        "publish_at",
        "chapter_title",
        "text",
    } <= names
    fandoms = page.find("input", name="fandoms")
    assert fandoms.attrs["data-autocomplete"] == "/tags/autocomplete"
    assert fandoms.attrs["list"] == "id_fandom_suggestions"


def test_posting_makes_a_work_with_its_tags_counts_and_new_tags(
    client: Client, writer: User
) -> None:
    work = post_work(client, writer)
    assert work.posted and work.title == "Harbour Lights"
    assert work.chapter_count == 1 and work.expected_chapters == 1 and work.complete
    assert work.word_count == 12
    names = [(tagging.tag.name, tagging.tag.type) for tagging in work.taggings.all()]
    assert names == [
        ("General Audiences", TagType.RATING),
        ("No Archive Warnings Apply", TagType.WARNING),
        ("Gen", TagType.CATEGORY),
        ("Lighthouse Keepers (TV)", TagType.FANDOM),
        ("Mara Quill", TagType.CHARACTER),
        ("Tobias Fenn", TagType.CHARACTER),
        ("Fluff", TagType.FREEFORM),
        ("Found Family", TagType.FREEFORM),
    ]
    assert [c.pseud for c in work.creatorships.all()] == [writer.default_pseud()]
    chapter = work.chapters.get()
    assert chapter.text == TEXT
    assert chapter.html.startswith("<p>The lantern swung")


def test_a_posted_work_shows_on_its_page_and_the_home_page(client: Client, writer: User) -> None:
    work = post_work(client, writer)
    page = client.get(f"/works/{work.pk}")
    assert "The lantern swung in the wind" in page.content.decode()
    home = parse(Client().get("/").content)
    assert home.find("li", id=f"work_{work.pk}")


def test_posting_tells_the_search_index(client: Client, writer: User) -> None:
    work = post_work(client, writer)
    assert list(ChangeLog.objects.filter(work_id=work.pk).values_list("reason", flat=True)) == [
        "posted"
    ]


def test_new_works_get_their_filter_tags_through_canonicals_and_synonyms(
    client: Client, writer: User
) -> None:
    canonical = TagFactory.create(name="Lighthouse Keepers", type=TagType.FANDOM, canonical=True)
    TagFactory.create(name="Lighthouse Keepers (TV)", type=TagType.FANDOM, merger=canonical)
    work = post_work(client, writer)
    filters = set(FilterTagging.objects.filter(work=work).values_list("filter__name", flat=True))
    assert "Lighthouse Keepers" in filters
    assert "General Audiences" in filters
    assert "Lighthouse Keepers (TV)" not in filters


def test_two_fandoms_without_a_shared_meta_tag_make_a_crossover(
    client: Client, writer: User
) -> None:
    work = post_work(client, writer, fandoms="Harbour Tales, Mountain Tales")
    assert work.crossover


def test_a_draft_is_seen_only_by_its_creator(
    client: Client, writer: User, other_user: User
) -> None:
    work = post_work(client, writer, action="draft")
    assert not work.posted
    assert client.get(f"/works/{work.pk}").status_code == 200
    reader = Client()
    assert reader.get(f"/works/{work.pk}").status_code == 404
    reader.force_login(other_user)
    assert reader.get(f"/works/{work.pk}").status_code == 404
    assert f"work_{work.pk}" not in reader.get("/").content.decode()
    assert f"work_{work.pk}" not in Client().get("/users/author/works").content.decode()


def test_preview_shows_the_work_and_saves_nothing(client: Client, writer: User) -> None:
    works, tags = Work.objects.count(), Tag.objects.count()
    response = client.post(
        "/works/new", work_data(writer, action="preview", freeforms="Brand New Tag")
    )
    assert response.status_code == 200
    page = parse(response.content)
    preview = page.find("section", "preview")
    assert "The lantern swung in the wind" in preview.text()
    assert "Brand New Tag" in preview.text()
    assert Work.objects.count() == works and Tag.objects.count() == tags
    assert not ChangeLog.objects.exists()
    # The form is still filled in, ready to post.
    assert page.find("textarea", name="text").text() == " ".join(TEXT.split())
    assert page.find("input", name="title").attrs["value"] == "Harbour Lights"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"fandoms": ""}, "Name at least one fandom."),
        ({"rating": None}, "Choose a rating."),
        ({"warnings": None}, "Choose at least one archive warning."),
        ({"title": ""}, "This field is required."),
        ({"text": "short"}, "The text needs at least 10 characters"),
        ({"freeforms": "Good, Bad<tag"}, "which tags cannot contain"),
        ({"rating": "Extremely Rated"}, "Select a valid choice."),
        ({"published_on": "2999-01-01", "backdate": "on"}, "cannot be in the future"),
        ({"publish_at": "2001-01-01T10:00"}, "Choose a time in the future"),
        ({"cocreators": "nobody_here"}, "There is no creator called nobody_here."),
        ({"summary": "x" * 1251}, "at most 1250 characters"),
    ],
)
def test_a_refused_post_explains_why_and_keeps_the_text(
    client: Client, writer: User, overrides: dict[str, object], message: str
) -> None:
    response = client.post("/works/new", work_data(writer, **overrides))
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert "Your text is still here." in content
    if overrides.get("text") is None:
        assert "The lantern swung in the wind above the harbour." in content
    assert not Work.objects.exists()


def test_more_than_75_user_defined_tags_are_refused(client: Client, writer: User) -> None:
    freeforms = ", ".join(f"Tag number {n}" for n in range(74))
    response = client.post(
        "/works/new", work_data(writer, freeforms=freeforms, characters="One, Two")
    )
    assert "a work can have at most 75" in response.content.decode()
    assert not Work.objects.exists()
    exactly = ", ".join(f"Tag number {n}" for n in range(72))
    assert post_work(client, writer, freeforms=exactly, characters="One, Two").posted


def test_a_tag_name_taken_by_another_type_gets_the_type_suffix(
    client: Client, writer: User
) -> None:
    TagFactory.create(name="Storm", type=TagType.FANDOM)
    work = post_work(client, writer, freeforms="Storm")
    assert "Storm - Freeform" in [tag.name for tag in work.tags.all()]


def test_someone_cannot_post_as_another_users_pseud(
    client: Client, writer: User, other_user: User
) -> None:
    data = work_data(writer, pseuds=[str(other_user.default_pseud().pk)])
    response = client.post("/works/new", data)
    assert "Select a valid choice." in response.content.decode()
    assert not Work.objects.exists()


def test_restricted_anonymous_and_backdated_works(client: Client, writer: User) -> None:
    work = post_work(
        client, writer, restricted="on", anonymous="on", backdate="on", published_on="2020-05-04"
    )
    assert work.restricted and work.anonymous and work.backdated
    assert str(work.published_on) == "2020-05-04"
    assert str(work.chapters.get().published_on) == "2020-05-04"
    assert Client().get(f"/works/{work.pk}").status_code == 404
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "Anonymous" in page


def test_an_unknown_action_saves_a_draft_rather_than_posting(client: Client, writer: User) -> None:
    work = post_work(client, writer, action="something else")
    assert not work.posted


def test_another_language_is_added_by_name_or_code_and_found_again(
    client: Client, writer: User
) -> None:
    first = post_work(client, writer, language="", other_language="Deutsch")
    assert (first.language.code, first.language.name) == ("de", "Deutsch")
    again = post_work(client, writer, language="", other_language="German")
    assert again.language == first.language
    page = parse(client.get("/works/new").content)
    assert page.find("option", value=str(first.language.pk)).text() == "Deutsch"


def test_an_unknown_language_or_none_is_refused(client: Client, writer: User) -> None:
    unknown = client.post("/works/new", work_data(writer, language="", other_language="Qwzzx"))
    assert "We do not know the language Qwzzx" in unknown.content.decode()
    none = client.post("/works/new", work_data(writer, language=""))
    assert "Choose the work&#x27;s language." in none.content.decode()
    assert not Work.objects.exists()

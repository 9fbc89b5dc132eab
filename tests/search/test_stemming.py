"""Search that forgives: a word finds its other forms, by the stemmer of each work's language,
after the works with the word as typed; phrases stay exact."""

from __future__ import annotations

import pytest

from ficarchive.search.query import Sort
from ficarchive.works.models import Language
from tests.factories import WorkFactory
from tests.search.conftest import Find

pytestmark = pytest.mark.django_db


def _language(code: str, name: str) -> Language:
    return Language.objects.get_or_create(code=code, defaults={"name": name})[0]


def test_a_singular_finds_the_plural_and_the_exact_word_ranks_first(find: Find) -> None:
    WorkFactory.create(title="Orchard", text="She picked apples all morning.")
    WorkFactory.create(title="One Fruit", text="An apple on the sill.")
    WorkFactory.create(title="Pears", text="Nothing but pears.")
    assert find(text="apple", sort=Sort.BEST) == ["One Fruit", "Orchard"]
    assert find(text="apples", sort=Sort.BEST) == ["Orchard", "One Fruit"]


def test_stems_reach_titles_and_summaries_too(find: Find) -> None:
    WorkFactory.create(title="Running Home", text="Words.")
    WorkFactory.create(title="Quiet", summary="They were walking together.", text="Words.")
    assert find(text="run") == ["Running Home"]
    assert find(text="walked") == ["Quiet"]


def test_phrases_stay_exact(find: Find) -> None:
    WorkFactory.create(title="Orchard", text="She picked red apples all morning.")
    WorkFactory.create(title="One Fruit", text="A red apple on the sill.")
    assert find(text='"red apple"') == ["One Fruit"]
    assert find(text='"red apples"') == ["Orchard"]
    assert find(text='orchard -"red apples"') == []


def test_each_work_is_stemmed_in_its_own_language(find: Find) -> None:
    russian = _language("ru", "Русский")
    WorkFactory.create(title="Книги", text="Она читала книги.", language=russian)
    WorkFactory.create(title="Books", text="She read books.")
    # Russian's stemmer makes книги and книга one word; English's does not know them.
    assert find(text="книга") == ["Книги"]
    assert find(text="book") == ["Books"]


def test_a_language_without_a_stemmer_is_matched_exactly(find: Find) -> None:
    japanese = _language("ja", "日本語")
    WorkFactory.create(title="Cats", text="cats everywhere", language=japanese)
    assert find(text="cats") == ["Cats"]
    assert find(text="cat") == []


def test_a_named_field_is_searched_as_typed(find: Find) -> None:
    WorkFactory.create(title="Apples", text="Words.")
    assert find(text="title:apples") == ["Apples"]
    assert find(text="title:apple") == []
    assert find(text="apple") == ["Apples"]

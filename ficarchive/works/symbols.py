"""The four symbols of a blurb (rating, warnings, category, completion), with the class names
of the largest archive, which readers' tools and skins rely on, and a text alternative each."""

from __future__ import annotations

from dataclasses import dataclass

from ficarchive.tags.models import TagType
from ficarchive.works.models import Work

RATING_CLASSES = {
    "General Audiences": ("rating-general-audience", "G"),
    "Teen And Up Audiences": ("rating-teen", "T"),
    "Mature": ("rating-mature", "M"),
    "Explicit": ("rating-explicit", "E"),
    "Not Rated": ("rating-notrated", "NR"),
}
CATEGORY_CLASSES = {
    "Gen": ("category-gen", "◯"),
    "F/M": ("category-het", "♀♂"),
    "M/M": ("category-slash", "♂♂"),
    "F/F": ("category-femslash", "♀♀"),
    "Multi": ("category-multi", "✱"),
    "Other": ("category-other", "?"),
}
CHOSE_NOT_TO_WARN = "Creator Chose Not To Use Archive Warnings"
NO_WARNINGS = "No Archive Warnings Apply"


@dataclass(frozen=True)
class Symbol:
    """One square: `css` is the class attribute, `text` what it means, `glyph` what it shows;
    `hideable` for the warnings square, which readers who hide warnings do not see."""

    css: str
    text: str
    glyph: str
    hideable: bool = False


def work_symbols(work: Work) -> list[Symbol]:
    """The required-tags symbols of a work, in the largest archive's order."""
    return [_rating(work), _warnings(work), _category(work), _completion(work)]


def _rating(work: Work) -> Symbol:
    rating = work.rating()
    if rating is None:
        return Symbol("rating-notrated rating", "No rating", "NR")
    css, glyph = RATING_CLASSES.get(rating.name, ("rating-notrated", "NR"))
    return Symbol(f"{css} rating", rating.name, glyph)


def _warnings(work: Work) -> Symbol:
    names = [tag.name for tag in work.tags_by_type[TagType.WARNING]]
    real = [name for name in names if name not in (CHOSE_NOT_TO_WARN, NO_WARNINGS)]
    if real:
        return Symbol("warning-yes warnings", ", ".join(real), "!", hideable=True)
    if CHOSE_NOT_TO_WARN in names:
        return Symbol("warning-choosenotto warnings", CHOSE_NOT_TO_WARN, "?", hideable=True)
    # Two answers that must not look alike: the creator said none apply, or said nothing
    # (an imported work may have no warning tag at all).
    if NO_WARNINGS in names:
        return Symbol("warning-no warnings", NO_WARNINGS, "∅", hideable=True)
    return Symbol("warning-none warnings", "No archive warnings given", "–", hideable=True)


def _category(work: Work) -> Symbol:
    names = [tag.name for tag in work.tags_by_type[TagType.CATEGORY]]
    if not names:
        return Symbol("category-none category", "No category", "–")
    if len(names) > 1:
        return Symbol("category-multi category", ", ".join(names), "✱")
    css, glyph = CATEGORY_CLASSES.get(names[0], ("category-other", "?"))
    return Symbol(f"{css} category", names[0], glyph)


def _completion(work: Work) -> Symbol:
    if work.complete:
        return Symbol("complete-yes iswip", "Complete Work", "✓")
    return Symbol("complete-no iswip", "Work in Progress", "…")

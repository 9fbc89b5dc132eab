"""Wrangling services: the changes wranglers make to tags, with the largest archive's rules.

Each service validates, changes the tags, records the change in each tag's history and marks
the works whose filter tags change as stale, all in one transaction; then it recomputes the
stale works (tags.recompute), in batches that survive a crash of the process.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ficarchive.tags import graph
from ficarchive.tags.filters import (
    filters_add_for_synonym,
    works_mark_stale_filtered,
    works_mark_stale_tagged,
)
from ficarchive.tags.models import (
    PARENT_TYPES,
    MetaTagging,
    ParentTagging,
    Tag,
    TagChange,
    TagType,
    TagWord,
)
from ficarchive.tags.recompute import filters_recompute_stale

# The types whose tags the crossover and OTP flags count.
FLAG_TYPES = (TagType.FANDOM, TagType.RELATIONSHIP)


class WranglingError(ValueError):
    """A wrangling change the archive refuses; the message says why."""


def _locked(tag: Tag) -> Tag:
    """The tag as stored now, locked until the transaction ends (on PostgreSQL)."""
    return Tag.objects.select_for_update().get(pk=tag.pk)


def _record(tag: Tag, user: Any, description: str) -> None:
    TagChange.objects.create(
        tag=tag, user=user if user and user.pk else None, description=description
    )


def _kind(type_: str) -> str:
    """A type as a noun: "fandom", "additional tag"."""
    return TagType(type_).label.lower().removesuffix("s")


def _kinds(type_: str) -> str:
    """A type as a plural noun: "fandoms", "media"."""
    kind = _kind(type_)
    return kind if kind == "media" else f"{kind}s"


def _a(type_: str) -> str:
    """A type with its article: "a fandom", "an additional tag"."""
    kind = _kind(type_)
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _not_fixed(*tags: Tag) -> None:
    for tag in tags:
        if tag.is_fixed:
            raise WranglingError(
                f"'{tag.name}' is {_a(tag.type)}; ratings, warnings, "
                "categories and media are fixed and cannot be wrangled."
            )


def _is_admin(user: Any) -> bool:
    # Scripts and commands (no user) act as the archive itself.
    return user is None or bool(user.is_archive_admin)


def _set_canonical(tag: Tag, canonical: bool, merger: Tag | None) -> None:
    tag.canonical = canonical
    tag.merger = merger
    if canonical or merger is not None:
        tag.unwrangleable = False
    tag.save(update_fields=["canonical", "merger", "unwrangleable", "updated_at"])
    TagWord.objects.filter(tag=tag).update(canonical=canonical)


def _mark_below(tag_ids: set[int], reason: str) -> None:
    """Mark the works found by these tags: their own, their synonyms', and (as a sub tag's
    works have its meta tags as filters) those of every tag below them."""
    works_mark_stale_filtered(tag_ids, reason)


def tag_make_canonical(tag: Tag, *, user: Any) -> Tag:
    """Make a tag canonical; a synonym stops being one in the same step."""
    with transaction.atomic():
        tag = _locked(tag)
        _not_fixed(tag)
        if tag.canonical:
            return tag
        former = tag.merger
        _set_canonical(tag, True, None)
        works_mark_stale_tagged([tag.pk], f"{tag.name} made canonical")
        note = f" (it was a synonym of '{former.name}')" if former else ""
        _record(tag, user, f"Made canonical{note}.")
        if former is not None:
            _record(former, user, f"'{tag.name}' is no longer a synonym (made canonical).")
    filters_recompute_stale()
    return tag


def tag_make_noncanonical(tag: Tag, *, user: Any) -> Tag:
    """Make a canonical tag an ordinary one: its synonyms are unlinked and its meta tags, sub
    tags and children removed, as in the largest archive."""
    with transaction.atomic():
        tag = _locked(tag)
        _not_fixed(tag)
        if not tag.canonical:
            return tag
        reason = f"{tag.name} no longer canonical"
        # Every work found by the tag: its own, its synonyms', its sub tags'.
        works_mark_stale_filtered([tag.pk], reason)
        subs = set(tag.sub_taggings.filter(direct=True).values_list("sub_tag_id", flat=True))
        synonyms = list(tag.synonyms.all())
        Tag.objects.filter(merger=tag).update(merger=None)
        MetaTagging.objects.filter(sub_tag=tag).delete()
        MetaTagging.objects.filter(meta_tag=tag).delete()
        ParentTagging.objects.filter(parent=tag).delete()
        _set_canonical(tag, False, None)
        graph.closure_refresh(subs)
        _record(tag, user, "Made not canonical.")
        for synonym in synonyms:
            _record(synonym, user, f"No longer a synonym of '{tag.name}' (made not canonical).")
    filters_recompute_stale()
    return tag


def tag_make_synonym(tag: Tag, canonical: Tag, *, user: Any) -> Tag:
    """Make `tag` a synonym of `canonical`: works tagged with it are found by the canonical
    from now on. Its parents, children, meta tags, sub tags and synonyms move to the canonical,
    and it takes the canonical's fandoms, as in the largest archive."""
    with transaction.atomic():
        tag = _locked(tag)
        canonical = _locked(canonical)
        _not_fixed(tag, canonical)
        if tag.pk == canonical.pk:
            raise WranglingError("A tag can't be a synonym of itself.")
        if not canonical.canonical:
            raise WranglingError(
                f"'{canonical.name}' is not a canonical tag. Please make it canonical before "
                "adding synonyms to it."
            )
        if canonical.type != tag.type:
            raise WranglingError(
                f"'{canonical.name}' is {_a(canonical.type)}. Synonyms "
                "must belong to the same category."
            )
        if tag.merger_id == canonical.pk:
            return tag
        if tag.canonical and not _is_admin(user):
            raise WranglingError(
                "Only an admin can make a canonical tag into a synonym of another tag."
            )
        previous = tag.merger
        reason = f"{tag.name} made a synonym of {canonical.name}"
        # A tag that was nothing yet only adds filters to its works: no recompute needed.
        additive = (
            not tag.canonical
            and previous is None
            and tag.type not in FLAG_TYPES
            and not tag.synonyms.exists()
        )
        if not additive:
            works_mark_stale_tagged([tag.pk], reason)
            works_mark_stale_filtered([tag.pk], reason)
        former_subs, gained_meta_tags = _move_associations(tag, canonical)
        _set_canonical(tag, False, canonical)
        graph.closure_refresh({tag.pk, canonical.pk, *former_subs})
        if gained_meta_tags:
            _mark_below({canonical.pk}, reason)
        if additive:
            filters_add_for_synonym(tag, canonical, reason)
        instead = f" (instead of '{previous.name}')" if previous else ""
        _record(tag, user, f"Made a synonym of '{canonical.name}'{instead}.")
        if previous is not None:
            _record(previous, user, f"'{tag.name}' is no longer a synonym of this tag.")
        _record(canonical, user, f"'{tag.name}' made a synonym of this tag.")
    filters_recompute_stale()
    return tag


def _move_associations(tag: Tag, canonical: Tag) -> tuple[set[int], bool]:
    """Move a new synonym's links to its canonical; returns its former direct sub tags and
    whether the canonical gained meta tags."""
    for parent_id in tag.parent_taggings.values_list("parent_id", flat=True):
        ParentTagging.objects.get_or_create(parent_id=parent_id, child=canonical)
    for child_id in tag.child_taggings.values_list("child_id", flat=True):
        ParentTagging.objects.get_or_create(parent=canonical, child_id=child_id)
    ParentTagging.objects.filter(parent=tag).delete()
    fandoms = canonical.parent_taggings.filter(parent__type=TagType.FANDOM)
    for parent_id in fandoms.values_list("parent_id", flat=True):
        ParentTagging.objects.get_or_create(parent_id=parent_id, child=tag)
    Tag.objects.filter(merger=tag).update(merger=canonical)

    metas = set(tag.meta_taggings.filter(direct=True).values_list("meta_tag_id", flat=True))
    subs = set(tag.sub_taggings.filter(direct=True).values_list("sub_tag_id", flat=True))
    MetaTagging.objects.filter(sub_tag=tag).delete()
    MetaTagging.objects.filter(meta_tag=tag).delete()
    below = graph.descendants([canonical.pk]) | {canonical.pk}
    gained = False
    for meta_id in metas - below:
        gained |= _direct_link(meta_id, canonical.pk)
    above = graph.ancestors(canonical.pk) | {canonical.pk}
    for sub_id in subs - above:
        _direct_link(canonical.pk, sub_id)
    return subs, gained


def _direct_link(meta_id: int, sub_id: int) -> bool:
    """Link a meta tag directly; returns whether it was not a meta tag of the sub tag yet."""
    _, created = MetaTagging.objects.update_or_create(
        meta_tag_id=meta_id, sub_tag_id=sub_id, defaults={"direct": True}
    )
    return created


def tag_merge(source: Tag, target: Tag, *, user: Any) -> Tag:
    """Merge `source` into `target`: the source becomes a synonym of the canonical target."""
    return tag_make_synonym(source, target, user=user)


def tag_unlink_synonym(tag: Tag, *, user: Any) -> Tag:
    """Make a synonym an ordinary tag again; its works are no longer found by the canonical."""
    with transaction.atomic():
        tag = _locked(tag)
        former = tag.merger
        if former is None:
            return tag
        works_mark_stale_tagged([tag.pk], f"{tag.name} no longer a synonym of {former.name}")
        _set_canonical(tag, False, None)
        _record(tag, user, f"No longer a synonym of '{former.name}'.")
        _record(former, user, f"'{tag.name}' is no longer a synonym of this tag.")
    filters_recompute_stale()
    return tag


def meta_tag_add(meta: Tag, sub: Tag, *, user: Any) -> None:
    """Make `meta` a meta tag of `sub`: filtering by the meta tag finds the sub tag's works."""
    with transaction.atomic():
        meta, sub = _locked(meta), _locked(sub)
        _not_fixed(meta, sub)
        if meta.type != sub.type:
            raise WranglingError(
                f"'{meta.name}' is {_a(meta.type)} and '{sub.name}' {_a(sub.type)}; meta tags "
                "link tags of the same type."
            )
        if not (meta.canonical and sub.canonical):
            raise WranglingError("Meta tags can only link canonical tags.")
        if meta.pk == sub.pk:
            raise WranglingError("A tag can't be its own meta tag.")
        if MetaTagging.objects.filter(meta_tag=meta, sub_tag=sub, direct=True).exists():
            return
        path = graph.path_up(meta.pk, sub.pk)
        if path is not None:
            names = dict(Tag.objects.filter(pk__in=path).values_list("pk", "name"))
            cycle = " > ".join(f"'{names[pk]}'" for pk in [meta.pk, *path[::-1]])
            raise WranglingError(
                f"'{meta.name}' can't be a meta tag of '{sub.name}': that would make a cycle, "
                f"{cycle} (each a meta tag of the next)."
            )
        _direct_link(meta.pk, sub.pk)
        graph.closure_refresh({sub.pk})
        _mark_below({sub.pk}, f"{meta.name} meta tag of {sub.name}")
        _record(sub, user, f"Added meta tag '{meta.name}'.")
        _record(meta, user, f"Added sub tag '{sub.name}'.")
    filters_recompute_stale()


def meta_tag_remove(meta: Tag, sub: Tag, *, user: Any) -> None:
    """Remove the direct link that makes `meta` a meta tag of `sub`."""
    with transaction.atomic():
        meta, sub = _locked(meta), _locked(sub)
        deleted, _ = MetaTagging.objects.filter(meta_tag=meta, sub_tag=sub, direct=True).delete()
        if not deleted:
            raise WranglingError(f"'{meta.name}' is not a direct meta tag of '{sub.name}'.")
        reason = f"{meta.name} no longer meta tag of {sub.name}"
        graph.closure_refresh({sub.pk})
        _mark_below({sub.pk}, reason)
        _record(sub, user, f"Removed meta tag '{meta.name}'.")
        _record(meta, user, f"Removed sub tag '{sub.name}'.")
    filters_recompute_stale()


def parent_add(parent: Tag, child: Tag, *, user: Any) -> None:
    """Make `parent` a parent of `child` (a fandom of a character, say). A relationship takes
    the fandoms of its characters. Parents do not change filters."""
    with transaction.atomic():
        parent, child = _locked(parent), _locked(child)
        allowed = PARENT_TYPES.get(child.type, ())
        kind = _kind(child.type)
        if not allowed:
            raise WranglingError(f"'{child.name}' is {_a(child.type)}; {kind}s have no parents.")
        if parent.type not in allowed:
            can_have = " or ".join(_kinds(value) for value in allowed)
            raise WranglingError(
                f"'{parent.name}' is {_a(parent.type)}; the parents of {_a(child.type)} are "
                f"{can_have}."
            )
        if not parent.canonical:
            raise WranglingError(
                f"'{parent.name}' is not canonical; only canonical tags can be parents."
            )
        _, created = ParentTagging.objects.get_or_create(parent=parent, child=child)
        if not created:
            return
        _record(child, user, f"Added {_kind(parent.type)} '{parent.name}'.")
        _inherit_fandoms(parent, child, user)


def _inherit_fandoms(parent: Tag, child: Tag, user: Any) -> None:
    """A relationship has the fandoms of its characters: copy them when either link is made."""
    pairs: list[tuple[Tag, Tag]] = []
    if parent.type == TagType.CHARACTER and child.type == TagType.RELATIONSHIP:
        fandoms = Tag.objects.filter(child_taggings__child=parent, type=TagType.FANDOM)
        pairs = [(fandom, child) for fandom in fandoms]
    elif parent.type == TagType.FANDOM and child.type == TagType.CHARACTER:
        relationships = Tag.objects.filter(parent_taggings__parent=child, type=TagType.RELATIONSHIP)
        pairs = [(parent, relationship) for relationship in relationships]
    for fandom, relationship in pairs:
        _, created = ParentTagging.objects.get_or_create(parent=fandom, child=relationship)
        if created:
            _record(relationship, user, f"Added fandom '{fandom.name}' from its characters.")


def parent_remove(parent: Tag, child: Tag, *, user: Any) -> None:
    """Remove a parent from a tag."""
    with transaction.atomic():
        deleted, _ = ParentTagging.objects.filter(parent=parent, child=child).delete()
        if not deleted:
            raise WranglingError(f"'{parent.name}' is not a parent of '{child.name}'.")
        _record(child, user, f"Removed {_kind(parent.type)} '{parent.name}'.")


def tag_set_unwrangleable(tag: Tag, unwrangleable: bool, *, user: Any) -> Tag:
    """Mark a tag as one that wranglers will not wrangle, so that it leaves the bins."""
    with transaction.atomic():
        tag = _locked(tag)
        _not_fixed(tag)
        if unwrangleable and (tag.canonical or tag.merger_id):
            raise WranglingError("Unwrangleable can't be set on a canonical or synonymized tag.")
        if tag.unwrangleable == unwrangleable:
            return tag
        tag.unwrangleable = unwrangleable
        tag.save(update_fields=["unwrangleable", "updated_at"])
        _record(tag, user, "Marked unwrangleable." if unwrangleable else "No longer unwrangleable.")
    return tag


def tag_change_type(tag: Tag, new_type: str, *, user: Any) -> Tag:
    """Move a tag to another user-defined type. Only tags that nothing is wrangled to (not
    canonical, no synonym, no synonyms) may change; parents that no longer fit are removed."""
    with transaction.atomic():
        tag = _locked(tag)
        _not_fixed(tag)
        if TagType.is_fixed(new_type) or new_type not in TagType.values:
            raise WranglingError(f"Tags can't be made {new_type!r}: that type is fixed or unknown.")
        if tag.type == new_type:
            return tag
        if tag.canonical or tag.merger_id or tag.synonyms.exists():
            raise WranglingError(
                f"'{tag.name}' is canonical, a synonym or has synonyms; only tags that are none "
                "of these can change type."
            )
        old_label = tag.get_type_display()
        tag.type = new_type
        tag.save(update_fields=["type", "updated_at"])
        TagWord.objects.filter(tag=tag).update(type=new_type)
        # Only canonical tags are parents, so the tag has children of none.
        allowed = PARENT_TYPES.get(new_type, ())
        ParentTagging.objects.filter(child=tag).exclude(parent__type__in=allowed).delete()
        # Crossover and OTP depend on the types of a work's tags.
        works_mark_stale_tagged([tag.pk], f"{tag.name} changed type")
        _record(tag, user, f"Changed type from {old_label} to {tag.get_type_display()}.")
    filters_recompute_stale()
    return tag

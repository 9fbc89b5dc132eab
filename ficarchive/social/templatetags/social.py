"""Template tags of the social pieces other apps' pages show: the kudos section of a work page
and the block button of a creator page."""

from __future__ import annotations

from typing import Any

from django import template

from ficarchive.accounts.models import User
from ficarchive.social.blocking import has_blocked
from ficarchive.social.views import kudos_context
from ficarchive.works.models import Work

register = template.Library()


@register.inclusion_tag("social/_kudos.html", takes_context=True)
def kudos_section(context: template.Context, work: Work) -> dict[str, Any]:

    values = kudos_context(context["request"], work)
    values["csrf_token"] = context.get("csrf_token")
    return values


@register.filter
def blocks(user: Any, other: User) -> bool:
    """Whether this user has blocked `other`."""
    return has_blocked(user, other)

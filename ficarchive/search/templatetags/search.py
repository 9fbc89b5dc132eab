"""Template helpers of filtered listings: page links that keep the filters."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context: dict[str, Any], number: int) -> str:
    """This page's address with another page number, keeping every filter."""
    request = context.get("request")
    if request is None:
        return f"?page={number}"
    params = request.GET.copy()
    params["page"] = str(number)
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def param_url(context: dict[str, Any], name: str, value: str = "") -> str:
    """This page's address from its first page, with one parameter set (or, when `value` is
    empty, removed), keeping every filter."""
    request = context.get("request")
    if request is None:
        return f"?{name}={value}" if value else "?"
    params = request.GET.copy()
    params.pop("page", None)
    if value:
        params[name] = value
    else:
        params.pop(name, None)
    return f"{request.path}?{params.urlencode()}" if params else request.path


@register.simple_tag(takes_context=True)
def without_filters(context: dict[str, Any]) -> str:
    """This page's address with no filters at all."""
    request = context.get("request")
    return request.path if request is not None else "?"


@register.filter
def get_param(params: Any, name: str) -> str:
    """One GET parameter by a name held in a variable."""
    value = params.get(name, "")
    return value if isinstance(value, str) else ""

"""Refusing, before any view, an address or query parameter that holds a control character:
no database could look it up (PostgreSQL refuses NUL outright). An address with one names
nothing that can exist, so it is not found (404, as before); a query parameter with one is a
bad request, answered with a clear 400 page instead of a 500. Forms refuse them in posted
fields with a message beside the field (core.forms)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ficarchive.core.forms import control_character_in
from ficarchive.core.views import page_not_found


class RefuseControlCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if control_character_in(request.path_info):
            return page_not_found(request)
        query = [item for key, values in request.GET.lists() for item in [key, *values]]
        if control_character_in(query):
            return render(
                request,
                "core/error.html",
                {
                    "status": 400,
                    "title": "Bad request",
                    "message": "The address's query holds a control character (such as NUL), "
                    "so there is nothing to find with it. Check the address or the search terms.",
                },
                status=400,
            )
        return self.get_response(request)

"""Clear answers to feed readers and e-reader apps that ask for something wrong: the error page
with its reason (Django's 404 page leaves the reason out)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

TITLES = {400: "Bad request", 401: "Sign-in needed", 404: "Page not found"}


def error(request: HttpRequest, status: int, message: str) -> HttpResponse:
    context = {"status": status, "title": TITLES.get(status, "Error"), "message": message}
    return render(request, "core/error.html", context, status=status)


def not_found(request: HttpRequest, message: str) -> HttpResponse:
    return error(request, 404, message)

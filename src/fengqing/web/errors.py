"""The error pages (400, 403, 404, 500, CSRF failure): Chinese, in the site's style, with no technical detail."""

from __future__ import annotations

from django.shortcuts import render
from django.template.loader import render_to_string
from django.http import HttpResponseServerError


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # no context processors: whatever failed must not fail again here
    return HttpResponseServerError(render_to_string("500.html"))


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)

"""Answers Django leaves blank, given a Chinese page; the security headers of every answer."""

from __future__ import annotations

from django.http import HttpResponseNotAllowed
from django.template.loader import render_to_string


class MethodNotAllowedPage:
    """A GET on an address that only takes POST (a bookmarked 删除 or 签发 link, say) gets a page saying so,
    not the empty 405 of ``require_POST``; the Allow header stays."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            response.content = render_to_string("405.html", {"allowed": response["Allow"]}, request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response


CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


class SecurityHeaders:
    """A Content-Security-Policy that admits only the site's own files (no inline scripts; inline styles, which
    the inline SVG charts carry), and ``Cache-Control: no-store`` on every page and download (they show records);
    static files keep their own caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        if "max-age=" not in response.get("Cache-Control", "") or response.status_code != 200:
            response["Cache-Control"] = "no-store"
        return response

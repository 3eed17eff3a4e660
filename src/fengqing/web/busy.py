"""Busy, not broken: when the database stays locked past its timeout (a long import holding SQLite's write
lock, a lock wait on PostgreSQL) the request gets a Chinese 503 page asking to retry, never a 500; sealed data
without its key is said plainly too. Installed as the 500 handler, so it also catches what fails in a
middleware (the session saved after log-in). Nothing was written: the failed statement's transaction ended."""

from __future__ import annotations

import logging
import sys

from django.http import HttpResponse
from django.template.loader import render_to_string

from ..dbutil import is_busy
from ..errors import CryptoError
from . import errors

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


def server_error(request):
    exc = sys.exc_info()[1]  # Django calls the handler inside the except block of the failed request
    if is_busy(exc):
        message = "另一项操作（如大批量导入）正在写入数据库，本次操作没有执行，请稍后重试。"
        # no context processors: they may need the very database that is busy
        response = HttpResponse(render_to_string("web/busy.html", {"title": "系统正忙", "message": message}),
                                status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if isinstance(exc, CryptoError):
        return HttpResponse(render_to_string("web/busy.html", {"title": "数据无法解密", "message": exc.message}),
                            status=503)
    return errors.server_error(request)

"""Logging filters, importable while settings load (no models here)."""

from __future__ import annotations

import logging


class NoDenialTracebacks(logging.Filter):
    """Django logs a 403 with the exception's traceback; accounts.middleware already logged it once, with
    the user, and wrote it to the audit log."""

    def filter(self, record):
        return getattr(record, "status_code", None) != 403

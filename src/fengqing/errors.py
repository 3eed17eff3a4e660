"""Typed errors of the fengqing core.

Every error carries a Chinese message meant for the user. The command line turns one into exit status 2
and one line per problem on stderr; the web turns one into a page or form error.
"""

from __future__ import annotations


class FengqingError(Exception):
    """Base class of every error the core raises on bad input."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def lines(self) -> list[str]:
        """The message as one line per problem."""
        return [self.message]


class UnknownUnitError(FengqingError):
    pass


class PeriodError(FengqingError):
    pass


class ConfigError(FengqingError):
    pass


class SchemeError(FengqingError):
    pass


class ReportError(FengqingError):
    pass


class WorkbookError(FengqingError):
    """A workbook was refused; ``problems`` lists every problem found, not just the first."""

    def __init__(self, problems: list):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class AnalysisError(FengqingError):
    pass


class DocumentError(FengqingError):
    """A document whose text cannot be read (damaged, of another type, in an unknown encoding)."""


class SubmissionError(FengqingError):
    pass


class DossierError(FengqingError):
    """廉政档案 and 党风廉政意见: an unknown person or request, bad rule settings, a bad confirmation."""


class AccountError(FengqingError):
    """An account operation was refused (三员 rules, password rules, unknown user …)."""


class CryptoError(FengqingError):
    """A key is missing or a sealed value does not open (wrong key, tampered or damaged)."""


class FileWriteError(FengqingError):
    """A file could not be written; the old file, if any, is left as it was."""


class BackupError(FengqingError):
    """A backup could not be made, or a backup file was refused (damaged, tampered, not for an empty store)."""

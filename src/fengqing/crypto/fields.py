"""A model field whose text is sealed in the database and plain in Python: saved through get_prep_value,
loaded through from_db_value (also for values()/values_list()), so code reading records through the ORM works
unchanged. What it cannot do is be searched in SQL: an equality or ``icontains`` filter compares with a freshly
sealed value and finds nothing. Counting columns (kinds, forms, outcomes, dates, links) therefore stay clear;
only content is sealed (docs/security.md lists which). The empty string stays empty."""

from __future__ import annotations

from django import forms
from django.db import models

from .cipher import open_bytes, open_text, seal_bytes, seal_text

#: (table, column) of every sealed text column, filled as the models load: key checks, rotation and the raw scan
SEALED_COLUMNS: set[tuple[str, str]] = set()
#: the same for sealed binary columns (whole documents: a signed report's .docx, a submitted file)
SEALED_BINARY_COLUMNS: set[tuple[str, str]] = set()


class SealedTextField(models.TextField):
    """Sealed text; ``max_length`` limits the plaintext (forms, import), not the column."""

    stores_ciphertext = True

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        if not cls._meta.abstract:
            SEALED_COLUMNS.add((cls._meta.db_table, self.column))

    @property
    def label(self) -> str:
        return f"{self.model._meta.db_table}.{self.column}"

    def from_db_value(self, value, expression, connection):
        return open_text(value, self.label) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return seal_text(value, self.label) if value else value

    def formfield(self, **kwargs):
        # a one-line input as for the CharField it replaces, not a textarea
        return models.Field.formfield(self, **{"form_class": forms.CharField, "max_length": self.max_length,
                                               **kwargs})


class SealedBinaryField(models.BinaryField):
    """Sealed bytes (a whole document kept in the database); ``b""`` stays empty."""

    stores_ciphertext = True

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        if not cls._meta.abstract:
            SEALED_BINARY_COLUMNS.add((cls._meta.db_table, self.column))

    @property
    def label(self) -> str:
        return f"{self.model._meta.db_table}.{self.column}"

    def from_db_value(self, value, expression, connection):
        return open_bytes(bytes(value), self.label) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return seal_bytes(bytes(value), self.label) if value else value

"""The upload folder with every file sealed (evidence of rectification, workbooks awaiting confirmation).
Files are read and written whole: uploads are bounded (web/forms.py), so memory is too."""

from __future__ import annotations

from io import BytesIO

from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage

from .cipher import open_file, seal_file


class SealedFileStorage(FileSystemStorage):
    def _save(self, name, content):
        content.seek(0)
        return super()._save(name, ContentFile(seal_file(content.read())))

    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("sealed files are written through save()")
        with open(self.path(name), "rb") as raw:
            plain = open_file(raw.read(), name)
        return File(BytesIO(plain), name=name)

"""Where the admin keeps a spreadsheet between its import's preview and confirmation."""

import datetime
from uuid import uuid4

from django.utils import timezone
from import_export.tmp_storages import BaseStorage

from partners.models import PreviewedImport

# A preview left unconfirmed longer than this is removed at the next one.
KEPT_FOR = datetime.timedelta(days=1)


class PreviewGone(Exception):
    """A confirmed import's file is no longer kept: imported already, or too old."""


class DatabaseStorage(BaseStorage):
    """django-import-export's temporary storage, in the database every server shares.

    The preview saves the file and reads it back from memory. The confirmation opens
    it by name and takes it: reading deletes the row, so that of two confirmations of
    one preview (a button pressed twice, on one server or two) only the first
    imports; the other raises ``PreviewGone``.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.content: bytes | None = None

    def save(self, data: bytes):
        PreviewedImport.objects.filter(created__lt=timezone.now() - KEPT_FOR).delete()
        self.name = uuid4().hex
        PreviewedImport.objects.create(name=self.name, content=data)
        self.content = bytes(data)

    def read(self):
        if self.content is None:
            self.content = take(self.name)
        if "b" in self.read_mode:
            return self.content
        return self.content.decode(self.encoding or "utf-8-sig")

    def remove(self):
        PreviewedImport.objects.filter(name=self.name).delete()


def is_kept(name: str) -> bool:
    return PreviewedImport.objects.filter(name=name).exists()


def take(name: str) -> bytes:
    """Return a previewed file's content and delete it, or raise ``PreviewGone``."""
    content = (
        PreviewedImport.objects.filter(name=name)
        .values_list("content", flat=True)
        .first()
    )
    # The delete decides between two confirmations that read the file at once: the
    # second waits for the first's and deletes nothing.
    deleted, _ = PreviewedImport.objects.filter(name=name).delete()
    if content is None or not deleted:
        raise PreviewGone(name)
    return bytes(content)

"""Pictures in a web page (``<img src="table.png">``) whose tables are read by OCR.

Only a **local** file is read: ``src`` relative to the HTML file's folder (as a browser's "save
page" writes it). Nothing is ever fetched: a remote address (``http://…``, ``//host/…``, a site
path ``/images/…``), a ``data:`` URI, or a file that is not there is a note naming it. The tables
OCR finds in a picture are put where the ``<img>`` stands (:mod:`govdisclose.readers.ocr.embedded`).

>>> from pathlib import Path
>>> local_image(Path("/tmp/page.html"), "http://example.org/t.png", notes := [])
>>> notes
['image http://example.org/t.png was not read: not a local file (nothing is downloaded)']
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from govdisclose.readers.model import Document

__all__ = ["local_image", "with_pictures", "MAX_IMAGE_BYTES"]

#: Largest picture file read.
MAX_IMAGE_BYTES = 64 * 2**20


def local_image(page: Path, src: str, notes: list[str]) -> tuple[str, bytes] | None:
    """``(src, bytes)`` of the local picture ``src`` of the page ``page``, or ``None`` with a note."""
    src = src.strip()
    parts = urlsplit(src)
    if not src or parts.scheme or parts.netloc or src.startswith("/"):
        notes.append(f"image {src or '(no src)'} was not read: not a local file (nothing is downloaded)")
        return None
    file = page.parent / unquote(parts.path)
    try:
        if not file.is_file():
            notes.append(f"image {src} was not read: {file.name} is not there")
            return None
        if file.stat().st_size > MAX_IMAGE_BYTES:
            notes.append(f"image {src} was not read: over {MAX_IMAGE_BYTES // 2**20} MB")
            return None
        return src, file.read_bytes()
    except OSError as exc:
        notes.append(f"image {src} was not read: {type(exc).__name__}")
        return None


def with_pictures(path: Path, doc: Document, pictures: list[tuple[int, str]]) -> Document:
    """``doc`` with the tables of its local pictures ``(position in doc.blocks, src)`` in their
    places: an OCR document when any was read."""
    from govdisclose.readers.ocr.embedded import place_pictures

    wanted = [(position, got) for position, src in pictures if (got := local_image(path, src, doc.notes)) is not None]
    return place_pictures(path, doc, wanted)

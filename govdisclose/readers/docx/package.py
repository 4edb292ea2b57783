"""The .docx package: the zip opened within limits, OLE files told apart, the main part and its related parts found.

A password-protected .docx and an old .doc are OLE compound files (:func:`ole_error` says which);
an .xlsx, .pptx or .odt is a zip too and is refused by name. Every member is read with a cap on
its declared and its actually inflated size.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from pathlib import Path
from typing import IO

from lxml import etree

from govdisclose.exceptions import CorruptDocumentError, DocumentError, DocumentTooLargeError, UnsupportedFormatError
from govdisclose.readers.docx.numbering import Numbering

__all__ = ["ole_error", "open_zip", "main_part", "read_member", "load_parts", "media", "CappedReader", "TooLarge", "MAX_ZIP_ENTRIES", "W_NAMESPACES", "OLE_MAGIC"]

#: Most entries in the zip's central directory (a report has about 15).
MAX_ZIP_ENTRIES = 5000


W_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",  # transitional (Word's default)
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # strict
)

_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)

_PART_CAP = 8 * 2**20  # numbering.xml / styles.xml



class TooLarge(Exception):
    """Raised inside the streaming parse when the XML passes the size cap."""



class CappedReader:
    """A file-like wrapper that refuses to hand out more than ``cap`` bytes."""

    def __init__(self, raw: IO[bytes], cap: int) -> None:
        self.raw = raw
        self.cap = cap
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size if size and size > 0 else 1 << 16)
        self.count += len(chunk)
        if self.count > self.cap:
            raise TooLarge
        return chunk



def ole_error(path: object, data: bytes) -> DocumentError:
    """The error for an OLE compound file (what Office writes for encrypted and pre-2007 files).

    A password-protected .docx is an OLE file holding an ``EncryptedPackage`` stream: that is a
    :class:`CorruptDocumentError` ("remove the password"); an old .doc/.xls is unsupported.

    >>> str(ole_error("a.docx", OLE_MAGIC + "EncryptedPackage".encode("utf-16-le")))
    'a.docx: password-protected (an encrypted Office file): remove the password in Word and save it again as .docx'
    >>> type(ole_error("a.doc", OLE_MAGIC + "WordDocument".encode("utf-16-le"))).__name__
    'UnsupportedFormatError'
    """
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return CorruptDocumentError(
            path, "password-protected (an encrypted Office file): remove the password in Word and save it again as .docx"
        )
    if "WordDocument".encode("utf-16-le") in data:
        return UnsupportedFormatError(path, "an old binary Word file (.doc); save it as .docx or PDF")
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return UnsupportedFormatError(path, "an old binary Excel file (.xls), not a report document")
    return UnsupportedFormatError(path, "an OLE compound file (old binary Office format), not a .docx")



def _zip_entry_count(data: bytes) -> int | None:
    """Entries declared by the end-of-central-directory record, read before zipfile builds its index."""
    tail_start = max(0, len(data) - (1 << 16) - 22)
    pos = data.rfind(b"PK\x05\x06", tail_start)
    if pos < 0 or pos + 22 > len(data):
        return None
    return struct.unpack_from("<H", data, pos + 10)[0]



def open_zip(path: Path, data: bytes) -> zipfile.ZipFile:
    if data.startswith(OLE_MAGIC):
        raise ole_error(path, data)
    if not data.startswith(b"PK"):
        raise UnsupportedFormatError(path, "not a Word .docx file (not a zip archive)")
    entries = _zip_entry_count(data)
    if entries is not None and entries > MAX_ZIP_ENTRIES:
        raise DocumentTooLargeError(path, f"the zip declares {entries} entries (a Word report has a few dozen)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, struct.error) as exc:
        raise CorruptDocumentError(path, f"a damaged or truncated .docx (the zip cannot be opened: {exc})") from None
    if len(archive.infolist()) > MAX_ZIP_ENTRIES:
        raise DocumentTooLargeError(path, f"the zip holds {len(archive.infolist())} entries")
    return archive



def main_part(path: Path, archive: zipfile.ZipFile) -> str:
    """The name of the main document part, from ``_rels/.rels`` (falling back to the usual name)."""
    names = set(archive.namelist())
    target = None
    if "_rels/.rels" in names and archive.getinfo("_rels/.rels").file_size < 2**20:
        try:
            root = etree.fromstring(read_member(path, archive, "_rels/.rels", 2**20), _SAFE_PARSER)
            for rel in root.iter(_RELS_NS + "Relationship"):
                if (rel.get("Type") or "").endswith("/officeDocument") and rel.get("TargetMode") != "External":
                    target = posixpath.normpath((rel.get("Target") or "").lstrip("/"))
                    break
        except etree.XMLSyntaxError:
            target = None
    for candidate in (target, "word/document.xml"):
        if candidate and candidate in names and not candidate.startswith(("xl/", "ppt/")):
            return candidate
    if "xl/workbook.xml" in names or (target or "").startswith("xl/"):
        raise UnsupportedFormatError(path, "an Excel workbook (.xlsx), not a Word document")
    if "ppt/presentation.xml" in names or (target or "").startswith("ppt/"):
        raise UnsupportedFormatError(path, "a PowerPoint file (.pptx), not a Word document")
    if "mimetype" in names and b"opendocument" in read_member(path, archive, "mimetype", 4096):
        raise UnsupportedFormatError(path, "an OpenDocument file (.odt); save it as .docx or PDF")
    if any(name.startswith("word/") for name in names):
        raise CorruptDocumentError(path, "a damaged Word file: its main part word/document.xml is missing")
    raise UnsupportedFormatError(path, "a zip archive, not a Word document (no word/document.xml)")



def read_member(path: Path, archive: zipfile.ZipFile, name: str, cap: int) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > cap:
        raise DocumentTooLargeError(path, f"{name} declares {info.file_size / 2**20:.1f} MB")
    try:
        with archive.open(info) as fh:
            data = fh.read(cap + 1)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error, NotImplementedError) as exc:
        raise CorruptDocumentError(path, f"{name} cannot be unpacked: {exc}") from None
    except RuntimeError as exc:  # zip-level encryption
        raise CorruptDocumentError(path, f"{name} is encrypted: {exc}") from None
    if len(data) > cap:
        raise DocumentTooLargeError(path, f"{name} inflates past {cap // 2**20} MB")
    return data



def _related_parts(path: Path, archive: zipfile.ZipFile, main: str) -> dict[str, str]:
    """The main part's related parts by relationship kind (``numbering``, ``styles``)."""
    folder, name = posixpath.split(main)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    found = {kind: posixpath.join(folder, f"{kind}.xml") for kind in ("numbering", "styles")}
    if rels_name in archive.namelist():
        try:
            root = etree.fromstring(read_member(path, archive, rels_name, 2**20), _SAFE_PARSER)
        except etree.XMLSyntaxError:
            return found
        for rel in root.iter(_RELS_NS + "Relationship"):
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            if kind in found and rel.get("TargetMode") != "External":
                target = rel.get("Target") or ""
                found[kind] = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target))
    return found



def load_parts(path: Path, archive: zipfile.ZipFile, main: str, notes: list[str]) -> tuple[Numbering | None, etree._Element | None]:
    """The list definitions (with the paragraph styles' numbering) and the parsed styles part.

    Either is None when absent; a part that cannot be read is noted (its list numbers are not
    shown, its run formatting not applied), never fatal.
    """
    roots: dict[str, etree._Element | None] = {}
    for kind, name in _related_parts(path, archive, main).items():
        roots[kind] = None
        if name not in archive.namelist():
            continue
        try:
            roots[kind] = etree.fromstring(read_member(path, archive, name, _PART_CAP), _SAFE_PARSER)
        except (etree.XMLSyntaxError, DocumentError) as exc:
            effect = "automatic list numbers are not shown" if kind == "numbering" else "its run formatting (struck-through, hidden) is not applied"
            notes.append(f"{name} could not be read ({exc}): {effect}")
            if kind == "styles" and roots.get("numbering") is not None:
                notes.append("automatic list numbers are not shown")
                roots["numbering"] = None
    styles = roots.get("styles")
    numbering = Numbering(roots["numbering"], styles) if roots.get("numbering") is not None else None
    return numbering, styles


#: Largest embedded picture read for OCR.
_MEDIA_CAP = 64 * 2**20


def media(path: Path, archive: zipfile.ZipFile, main: str, ids: list[str], notes: list[str]) -> dict[str, tuple[str, bytes]]:
    """Relationship id → (part name, bytes) of the main part's embedded pictures ``ids``
    (``word/media/…``). A linked (external) picture is never fetched, and one that cannot be
    read is skipped: both are a note naming it."""
    folder, name = posixpath.split(main)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    out: dict[str, tuple[str, bytes]] = {}
    if not ids or rels_name not in archive.namelist():
        return out
    try:
        root = etree.fromstring(read_member(path, archive, rels_name, 2**20), _SAFE_PARSER)
    except (etree.XMLSyntaxError, DocumentError) as exc:
        notes.append(f"{rels_name} could not be read ({exc}): the pictures are not read")
        return out
    wanted = set(ids)
    for rel in root.iter(_RELS_NS + "Relationship"):
        rid, target = rel.get("Id") or "", rel.get("Target") or ""
        if rid not in wanted:
            continue
        if rel.get("TargetMode") == "External":
            notes.append(f"picture {target} is linked, not embedded: not read (nothing is downloaded)")
            continue
        part = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target))
        try:
            out[rid] = (part, read_member(path, archive, part, _MEDIA_CAP))
        except (KeyError, DocumentError) as exc:
            notes.append(f"picture {part} cannot be read: {exc}")
    return out

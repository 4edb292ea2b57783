"""Page bytes to an lxml tree: decoding (:mod:`govdisclose.readers.encoding`), binary data refused, parser limits."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from govdisclose.exceptions import CorruptDocumentError, DocumentTooLargeError, EmptyDocumentError
from govdisclose.readers.encoding import decode
from govdisclose.readers.html.clean import CONTROL, xml_safe

__all__ = ["decode_html", "page_bytes", "parse", "without_document_end"]

_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not (b <= 0x08 or b in (0x0B, 0x0C, 0x7F) or 0x0E <= b <= 0x1F))


def decode_html(data: bytes) -> tuple[str, str, list[str]]:
    """Decode page bytes: returns (text, codec used, notes). Never raises on bad bytes.

    The policy of :mod:`govdisclose.readers.encoding`: the BOM wins, then the declared charset
    unless the bytes are clearly UTF-8; an undeclared page is read as UTF-8, else GB18030, else
    what charset-normalizer detects. Undecodable bytes become U+FFFD and are noted.

    >>> decode_html('<meta charset="gb2312">平潭'.encode("gbk"))[:2]
    ('<meta charset="gb2312">平潭', 'gb18030')
    >>> decode_html('<meta charset="gbk">平潭'.encode("utf-8"))[1:]
    ('utf-8', ['the page declares gbk but its bytes are UTF-8; read as UTF-8'])
    """
    decoded = decode(data, markup=True)
    return decoded.text, decoded.codec, list(decoded.notes)


def without_document_end(data: bytes, low: bytes) -> bytes:
    """Drop ``</body>`` and ``</html>`` end tags: libxml2 drops text after ``</html>`` and puts
    text after ``</body>`` outside the body, where a browser shows both in the body."""
    cuts: list[tuple[int, int]] = []
    for tag in (b"</body", b"</html"):
        pos = low.find(tag)
        while pos != -1:
            after = pos + len(tag)
            if after == len(low) or low[after] in b" \t\r\n\f/>":
                end = low.find(b">", after)
                cuts.append((pos, len(low) if end == -1 else end + 1))
            pos = low.find(tag, after)
    if not cuts:
        return data
    pieces, last = [], 0
    for start, end in sorted(cuts):
        if start >= last:
            pieces.append(data[last:start])
            last = end
    pieces.append(data[last:])
    return b"".join(pieces)


def parse(path: Path, data: bytes) -> etree._Element:
    parser = etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, compact=True, default_doctype=False  # type: ignore[call-arg]
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:  # pragma: no cover - libxml2 recovers
        raise CorruptDocumentError(path, f"the HTML cannot be parsed: {exc}") from None
    for entry in parser.error_log:
        if entry.level_name != "FATAL":
            continue
        message = entry.message.strip()
        if entry.type_name == "ERR_RESOURCE_LIMIT" or "depth" in message.lower():
            raise DocumentTooLargeError(path, f"over the HTML parser's limits at line {entry.line}: {message}")
        raise CorruptDocumentError(path, f"the HTML parser stopped at line {entry.line}: {message}")
    if root is None:
        raise EmptyDocumentError(path, "the page has no HTML content")
    return root


def page_bytes(path: Path, data: bytes) -> tuple[bytes, bytes, list[str]]:
    """The page as UTF-8 bytes for the parser, the same lowered, and notes on the decoding.

    Raises :class:`CorruptDocumentError` for binary data (many control or undecodable
    characters) and :class:`EmptyDocumentError` for a page without text.
    """
    decoded = decode(data, markup=True)
    text, codec, notes, exact = decoded.text, decoded.codec, list(decoded.notes), decoded.exact
    if codec.startswith("utf-16"):
        controls = len(CONTROL.findall(text))
    else:  # in these charsets bytes 0x00-0x1f are never part of a multi-byte character
        controls = len(data.translate(None, _NOT_CONTROL_BYTES))
    bad = controls + (text.count("\ufffd") if "\ufffd" in text else 0)
    if bad > max(16, len(text) // 10):
        raise CorruptDocumentError(path, f"binary data, not an HTML page ({bad:,} control or undecodable characters)")
    if controls:
        text = xml_safe(text)
        notes.append(f"{controls} control character(s) removed")
        exact = False
    if not text.strip():
        raise EmptyDocumentError(path, "the file has no text")
    notes.insert(0, f"decoded as {codec}")
    encoded = data if exact else text.encode("utf-8")
    low = encoded.lower()
    encoded = without_document_end(encoded, low)
    if len(encoded) != len(low):
        low = encoded.lower()
    return encoded, low, notes

"""Page bytes to an lxml tree: decoding (:mod:`govdisclose.readers.encoding`), binary data refused, parser limits."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from govdisclose.exceptions import CorruptDocumentError, DocumentTooLargeError, EmptyDocumentError
from govdisclose.readers.encoding import decode
from govdisclose.readers.html.clean import CONTROL, xml_safe

__all__ = ["decode_html", "page_bytes", "parse", "flatten_formatting", "without_document_end"]

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


#: Inline formatting tags that old CMS editors leave unclosed by the hundred (``<font color=…>``):
#: when they nest past the parser's depth limit, they are taken out of the page (they carry
#: no text) unless one of them carries an attribute that could hide or strike text.
_FLATTENED = (b"font", b"b", b"i", b"u", b"em", b"strong", b"big", b"small")
_FORMAT_TAG = re.compile(rb"<(/?)(" + b"|".join(_FLATTENED) + rb")\b([^>]*)>", re.I)
_PLAIN_ATTRIBUTES = re.compile(rb"^(?:\s+(?:face|color|size|lang|dir|align|title)\s*(?:=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]*))?)*\s*/?\s*$", re.I)


def _parse_once(path: Path, data: bytes) -> tuple[etree._Element | None, str | None, int]:
    """Parse; returns (root, the first fatal error's message or None, its line)."""
    parser = etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, compact=True,  # type: ignore[call-arg]
        default_doctype=False, huge_tree=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:  # pragma: no cover - libxml2 recovers
        raise CorruptDocumentError(path, f"the HTML cannot be parsed: {exc}") from None
    for entry in parser.error_log:
        if entry.level_name == "FATAL":
            kind = "limit" if entry.type_name == "ERR_RESOURCE_LIMIT" or "depth" in entry.message.lower() else "fatal"
            return root, f"{kind}:{entry.message.strip()}", entry.line
    return root, None, 0


def flatten_formatting(data: bytes) -> tuple[bytes, int]:
    """Take out the inline formatting tags of :data:`_FLATTENED` whose attributes are all plain
    (``face``/``color``/``size`` …), with the end tags that close them; returns the page and how
    many tags went. A start tag with ``style``, ``class``, ``id`` or another attribute stays, and
    so does the end tag that closes it (end tags are paired with the nearest open start tag of
    their name, as the parser pairs them). Line breaks inside a removed tag are kept, so source
    lines stay right.

    >>> flatten_formatting(b'<p><FONT color="red">7<font size=2>1</font></p>')
    (b'<p>71</p>', 3)
    >>> flatten_formatting(b'<font class="del">70<font color=red>7</font></font>1')
    (b'<font class="del">707</font>1', 2)
    """
    cut: list[tuple[int, int]] = []  # spans of the tags taken out
    open_tags: dict[bytes, list[bool]] = {}
    for match in _FORMAT_TAG.finditer(data):
        name = match.group(2).lower()
        stack = open_tags.setdefault(name, [])
        if match.group(1):  # an end tag closes the nearest open one
            plain = stack.pop() if stack else True
        else:
            plain = bool(_PLAIN_ATTRIBUTES.match(match.group(3)))
            if not match.group(3).rstrip().endswith(b"/"):
                stack.append(plain)
        if plain:
            cut.append(match.span())
    if not cut:
        return data, 0
    pieces, last = [], 0
    for start, end in cut:
        pieces.append(data[last:start])
        pieces.append(b"\n" * data.count(b"\n", start, end))
        last = end
    pieces.append(data[last:])
    return b"".join(pieces), len(cut)


def parse(path: Path, data: bytes, notes: list[str] | None = None) -> etree._Element:
    """The page's tree (libxml2's HTML parser, its huge-tree option on: up to 2048 levels).

    A page nested deeper only by unclosed formatting tags (300 ``<font>`` in its prose, from an
    old editor) is parsed again without them (:func:`flatten_formatting`, noted in ``notes``);
    any other page past the parser's limits is refused with :class:`DocumentTooLargeError`.
    """
    root, error, line = _parse_once(path, data)
    if error and error.startswith("limit:"):
        flat, removed = flatten_formatting(data)
        if removed:
            root, error, line = _parse_once(path, flat)
            if notes is not None and not error:
                notes.append(f"{removed} inline formatting tags (<font>, <b> …) nested past the parser's depth limit were taken out")
    if error:
        kind, message = error.split(":", 1)
        if kind == "limit":
            raise DocumentTooLargeError(path, f"over the HTML parser's limits at line {line}: {message}")
        raise CorruptDocumentError(path, f"the HTML parser stopped at line {line}: {message}")
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

"""One text decoding policy for the text and HTML readers: bytes → str, saying what was done.

In order: a byte-order mark wins; then the charset a page declares (HTML ``<meta charset>``, the
XML prolog), unless its bytes are clearly UTF-8; then UTF-8; then GB18030 (GBK and GB2312 are
subsets), when the characters it decodes to are the common Simplified ones a Chinese report is
printed in; then :mod:`charset_normalizer` picks among the other Chinese encodings (a Big5 file
decodes as GB18030 without an error, into nonsense, so GB18030 cannot be the last word). What
still cannot be decoded becomes U+FFFD and is noted; the readers refuse a file where that is
more than a trace (:func:`decode_text` raises :class:`~govdisclose.exceptions.CorruptDocumentError`).

>>> decode("外交部".encode("gbk")).text
'外交部'
>>> decode('<meta charset="gbk">平潭'.encode("utf-8"), markup=True).notes
('the page declares gbk but its bytes are UTF-8; read as UTF-8',)
>>> big5 = "外交部政府信息公開工作年度報告，本年新收政府信息公開申請數量".encode("big5")
>>> d = decode(big5)
>>> d.text[:3], d.codec
('外交部', 'big5hkscs')
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from govdisclose.exceptions import CorruptDocumentError

__all__ = ["Decoded", "decode", "decode_text", "declared_charset", "canonical_codec", "is_plausible_chinese"]

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta\b[^>]{0,1024}?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.I)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "euc_cn", "hz"}
_LATIN = {"latin_1", "iso8859-1", "ascii", "cp1252", "iso8859_1"}
_HIGH_BYTES = bytes(range(128, 256))
_NOT_HAN_LEADS = bytes(b for b in range(256) if not 0xE4 <= b <= 0xE9)  # UTF-8 leads of U+4E00..U+9FFF
#: Encodings charset-normalizer may choose from when neither UTF-8 nor GB18030 fits.
_CANDIDATES = ["gb18030", "big5", "cp950", "big5hkscs", "utf_16_le", "utf_16_be"]
#: Share of the non-ASCII characters that must be common (GB2312) ones for GB18030 to be believed.
_PLAUSIBLE = 0.9
#: Most replacement characters a text may hold before it is refused (and per how many characters).
_BAD_FLOOR, _BAD_PER = 10, 100


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text, the codec used, notes for a person, and whether the text is exactly the bytes read as UTF-8."""

    text: str
    codec: str
    notes: tuple[str, ...] = ()
    exact: bool = False


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 16 kB (meta charset / http-equiv / XML prolog).

    >>> declared_charset(b'<?xml version="1.0" encoding="GB2312"?><html>')
    'gb2312'
    """
    head = data[:16384]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii", "replace").lower() if match else None


def canonical_codec(name: str) -> str | None:
    """Python codec name for a declared charset (GBK and GB2312 read as GB18030, Big5 as Big5-HKSCS), None if unknown.

    >>> canonical_codec("GB2312"), canonical_codec("big5"), canonical_codec("x-unknown")
    ('gb18030', 'big5hkscs', None)
    """
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    if codec in _GB_FAMILY and codec != "hz":
        return "gb18030"
    if codec in ("big5", "cp950"):
        return "big5hkscs"
    if codec.startswith("utf-16") or codec.startswith("utf-32"):
        return "utf-8"  # a meta tag cannot really declare these (the page would not be ASCII)
    return codec


def is_plausible_chinese(text: str) -> bool:
    """Whether the non-ASCII characters of ``text`` are mostly common Simplified ones (GB2312).

    >>> is_plausible_chinese("本年新收政府信息公开申请数量"), is_plausible_chinese("ユ场現┎獺そ秨")
    (True, False)
    """
    total = common = 0
    for ch in text:
        if ch > "\x7f":
            total += 1
            try:
                ch.encode("gb2312")
            except UnicodeEncodeError:
                continue
            common += 1
    return total == 0 or common >= _PLAUSIBLE * total


def _bad_count(text: str, data: bytes, codec: str) -> int:
    """Replacement characters that decoding introduced (not ones the bytes themselves spell)."""
    if "\ufffd" not in text:
        return 0
    marker = "\ufffd".encode(codec, "ignore")
    return max(text.count("\ufffd") - (data.count(marker) if marker else 0), 0)


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


class _Decoding:
    """One decoding in progress: the bytes, the notes so far."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.notes: list[str] = []

    def done(self, text: str, codec: str, exact: bool = False) -> Decoded:
        return Decoded(text, codec, tuple(self.notes), exact)

    def replaced(self, codec: str, body: bytes | None = None) -> str:
        body = self.data if body is None else body
        text = body.decode(codec, "replace")
        bad = _bad_count(text, body, codec)
        if bad:
            self.notes.append(f"{bad} byte sequence(s) could not be decoded as {codec} (shown as \ufffd)")
        return text

    def detected(self) -> Decoded | None:
        """charset-normalizer's choice among the Chinese encodings, when it decodes cleanly."""
        from charset_normalizer import from_bytes

        best = from_bytes(self.data, cp_isolation=_CANDIDATES).best()
        if best is None or best.encoding in ("gb18030", "gbk", "gb2312"):
            return None
        codec = canonical_codec(best.encoding) or best.encoding
        text = _strict(self.data, codec)
        if text is None:
            return None
        self.notes.append(f"the bytes are neither UTF-8 nor GB18030 text; detected as {codec}")
        return self.done(text, codec)


def decode(data: bytes, *, markup: bool = False) -> Decoded:
    """Decode ``data`` by the policy above; never raises on bad bytes (they become U+FFFD, noted).

    ``markup=True`` honours a charset the bytes declare (HTML meta, XML prolog).
    """
    run = _Decoding(data)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return run.done(run.replaced(codec, data[len(bom):]), codec)
    declared_name = declared_charset(data) if markup else None
    declared = canonical_codec(declared_name) if declared_name else None
    if declared_name and declared is None:
        run.notes.append(f"unknown declared charset {declared_name!r} ignored")

    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    if not high:  # pure ASCII: every charset agrees
        return run.done(data.decode("ascii"), "utf-8", exact=True)
    utf8 = _strict(data, "utf-8")
    exact = utf8 is not None
    if utf8 is None:
        utf8 = data.decode("utf-8", "replace")
    utf8_bad = _bad_count(utf8, data, "utf-8")
    chars = len(utf8) - (len(data) - high) - utf8_bad  # non-ASCII characters decoded
    han = len(data.translate(None, _NOT_HAN_LEADS))
    # Mostly valid UTF-8 that reads as Chinese (a truncated last character or a stray damaged
    # byte is tolerated). Short GBK strings can be valid UTF-8 too ("平潭" -> "ƽ̶"), but they
    # do not decode to Han characters.
    utf8_likely = chars > 0 and utf8_bad <= max(1, chars // 200) and 2 * han >= chars

    def as_utf8(note: str = "") -> Decoded:
        if note:
            run.notes.append(note)
        if utf8_bad:
            run.notes.append(f"{utf8_bad} byte sequence(s) could not be decoded as utf-8 (shown as \ufffd)")
        return run.done(utf8, "utf-8", exact)

    if declared == "utf-8" or declared is None:
        if utf8_likely or (declared and exact):
            return as_utf8()
        text = _strict(data, "gb18030")
        if text is not None and not is_plausible_chinese(text):
            found = run.detected()
            if found is not None:
                return found
        if text is not None:
            if markup:
                what = "declares UTF-8" if declared else "declares no charset"
                run.notes.append(f"the page {what} but its bytes are GB18030; read as GB18030")
            return run.done(text, "gb18030")
        gb = data.decode("gb18030", "replace")
        gb_bad = _bad_count(gb, data, "gb18030")
        if gb_bad < utf8_bad and is_plausible_chinese(gb.replace("\ufffd", "")):
            run.notes.append(
                f"the bytes are neither clean UTF-8 nor GB18030; read as GB18030 ({gb_bad} bad sequence(s), shown as \ufffd)"
            )
            return run.done(gb, "gb18030")
        return as_utf8()
    if utf8_likely:
        return as_utf8(f"the page declares {declared_name} but its bytes are UTF-8; read as UTF-8")
    if declared in _LATIN:
        text = _strict(data, "gb18030")
        if text is not None:
            run.notes.append(f"the page declares {declared_name} but its bytes read cleanly as GB18030; read as GB18030")
            return run.done(text, "gb18030")
    text = _strict(data, declared)
    return run.done(text if text is not None else run.replaced(declared), declared)


def decode_text(path: Path, data: bytes, notes: list[str] | None = None) -> str:
    """Decode a text file's bytes by the policy; :class:`CorruptDocumentError` when they are not text.

    What decoding noticed (a detected encoding, undecodable bytes) is appended to ``notes``.

    >>> decode_text(Path("x.txt"), "外交部".encode("gbk"))
    '外交部'
    >>> decode_text(Path("x.bin"), bytes(range(128, 256)) * 8)
    Traceback (most recent call last):
    ...
    govdisclose.CorruptDocumentError: x.bin: is neither UTF-8, GB18030 nor Big5 text (too many undecodable bytes)
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise CorruptDocumentError(path, "declares UTF-16 but is not valid UTF-16") from None
    decoded = decode(data)
    text = decoded.text
    if text.count("\ufffd") > max(_BAD_FLOOR, len(text) // _BAD_PER):
        raise CorruptDocumentError(path, "is neither UTF-8, GB18030 nor Big5 text (too many undecodable bytes)")
    if notes is not None:
        notes.extend(decoded.notes)
    return text

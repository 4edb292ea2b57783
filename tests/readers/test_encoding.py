"""One decoding policy for text and HTML: BOM, declared charset, UTF-8, GB18030, then charset-normalizer.

Real reports re-encoded the ways a crawler meets them: a Traditional (Big5) copy of the seed, a
GBK page that declares no charset, and bytes that are no text at all.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import govdisclose
from govdisclose.exceptions import CorruptDocumentError
from govdisclose.readers import read_document
from govdisclose.readers.encoding import decode, decode_text, is_plausible_chinese

from conftest import DATA

#: What a report reads as, cell by cell (the printed text aside, which differs by script).
_CELL = ["table", "item", "applicant", "value", "unit", "state", "location"]


def _cells(path: Path) -> list[tuple]:
    frame = govdisclose.read_report(path).metrics
    return [tuple(row) for row in frame[_CELL].astype(str).itertuples(index=False)]


def _big5_seed() -> bytes:
    """The seed printed in Traditional characters and saved as Big5.

    OpenCC writes four characters in variant forms Big5 lacks (爲 for 為, …): they are written
    in their standard Big5 forms, so the copy encodes with no character lost or replaced.
    """
    opencc = pytest.importorskip("opencc")
    simplified = (DATA / "mfa_2023.txt").read_text(encoding="utf-8")
    traditional = opencc.OpenCC("s2t").convert(simplified).translate(str.maketrans("峯爲羣衆", "峰為群眾"))
    assert traditional != simplified
    return traditional.encode("big5")  # strict: every character is in Big5


def test_big5_copy_of_the_seed_is_read_not_reported_as_no_table(tmp_path: Path) -> None:
    data = _big5_seed()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert not is_plausible_chinese(data.decode("gb18030"))  # Big5 bytes decode as GB18030 without error, into nonsense
    path = tmp_path / "mfa_2023_big5.txt"
    path.write_bytes(data)
    doc = read_document(path)
    assert "detected as big5hkscs" in " ".join(doc.notes)
    assert doc.blocks[0].text.startswith("外交部政府信息公開工作")
    original = _cells(DATA / "mfa_2023.txt")
    assert len(original) == 200
    assert _cells(path) == original


def test_gbk_page_without_a_declared_charset(tmp_path: Path) -> None:
    page = (DATA / "pingtan_2024.html").read_text(encoding="utf-8")
    bare = re.sub(r"<meta[^>]*charset[^>]*>", "", page, flags=re.I)
    assert "charset" not in bare.lower()
    path = tmp_path / "pingtan_2024_gbk.html"
    path.write_bytes(bare.encode("gbk", errors="strict"))
    doc = read_document(path)
    assert doc.notes[:2] == ["decoded as gb18030", "the page declares no charset but its bytes are GB18030; read as GB18030"]
    assert _cells(path) == _cells(DATA / "pingtan_2024.html")


def test_gbk_seed_reads_like_the_utf8_seed(tmp_path: Path) -> None:
    path = tmp_path / "mfa_2023_gbk.txt"
    path.write_bytes((DATA / "mfa_2023.txt").read_text(encoding="utf-8").encode("gb18030"))
    assert _cells(path) == _cells(DATA / "mfa_2023.txt")


@pytest.mark.parametrize("name", ["noise.txt", "noise.md"])
def test_undecodable_bytes_are_a_clear_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(bytes(range(0x80, 0x100)) * 64)
    with pytest.raises(CorruptDocumentError, match=r"noise\.(txt|md): is neither UTF-8, GB18030 nor Big5 text"):
        read_document(path)


def test_a_damaged_byte_in_utf8_text_is_noted_not_refused() -> None:
    seed = (DATA / "mfa_2023.txt").read_bytes()
    cut = seed.index(b"\n", 400)  # between two characters
    damaged = seed[:cut] + b"\xff" + seed[cut:]
    notes: list[str] = []
    text = decode_text(Path("damaged.txt"), damaged, notes)
    assert text.count("\ufffd") == 1 and text.replace("\ufffd", "") == seed.decode("utf-8")
    assert notes == ["1 byte sequence(s) could not be decoded as utf-8 (shown as \ufffd)"]


def test_bom_wins_over_a_declared_charset() -> None:
    data = b"\xef\xbb\xbf" + '<meta charset="gbk"><p>外交部</p>'.encode()
    decoded = decode(data, markup=True)
    assert (decoded.codec, decoded.text) == ("utf-8", '<meta charset="gbk"><p>外交部</p>')

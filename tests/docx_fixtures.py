"""Build DOCX (and, through LibreOffice, PDF) test documents with known figures.

* :func:`fill_template` fills the official blank 2021 template (``template_2021_blank.docx`` in
  the shared corpus, not bundled) with a value for every cell, keyed by catalogue code.
* :func:`sample_values` gives a full, arithmetically consistent set of 200 cells with the
  awkward cases in it: blanks, ``/`` placeholders, a fee with four decimals.
* :func:`make_docx` wraps a ``<w:body>`` fragment in a minimal Word package, for reader tests of
  single features (nested tables, tracked changes, text boxes, ...); :func:`make_ole` writes a
  minimal OLE compound file like the one Office writes for a password-protected .docx.
* :func:`docx_to_pdf` / :func:`soffice_convert` convert with ``soffice --headless`` (None when
  LibreOffice is absent); :func:`offline_web_page` strips what a saved web page would fetch, so
  LibreOffice can turn real HTML reports into real-world-shaped DOCX files offline.

The cell keys are ``(table, item, applicant)`` with ``applicant`` None outside table requests,
and the values are strings exactly as they should be printed (``""`` prints nothing).

>>> values = sample_values()
>>> len(values), values[("active_disclosure", "fees.amount", None)]
(200, '5270.6597')
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import struct
import subprocess
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

import govdisclose
from govdisclose.template.normalize import norm

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_NS + "}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

Key = tuple[str, str, str | None]

#: Applicant columns of table requests in printed order (spec §2).
APPLICANTS: tuple[str, ...] = (
    "natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
    "legal_service_org", "other_org", "total",
)


def catalogue_cells(template: str = "2021") -> list[Key]:
    """Every ``(table, item, applicant)`` of a template, in catalogue order (public catalogue API)."""
    cat = govdisclose.catalogue()
    cells: list[Key] = []
    for row in cat.itertuples(index=False):
        if template in str(row.templates).split(";"):
            if row.table == "requests":
                cells.extend((row.table, row.item, a) for a in APPLICANTS)
            else:
                cells.append((row.table, row.item, None))
    return cells


def requests_rows(template: str = "2021") -> list[str]:
    """Item codes of table requests in printed (catalogue) order."""
    return list(dict.fromkeys(item for table, item, _ in catalogue_cells(template) if table == "requests"))

#: Table 2 (active_disclosure) of the 2021 template: row label → item codes of its value cells.
ACTIVE_ROWS: dict[str, tuple[str, ...]] = {
    "规章": ("regulations.issued", "regulations.repealed", "regulations.in_force"),
    "行政规范性文件": ("normative_documents.issued", "normative_documents.repealed", "normative_documents.in_force"),
    "行政许可": ("licensing.decisions",),
    "行政处罚": ("penalty.decisions",),
    "行政强制": ("enforcement.decisions",),
    "行政事业性收费": ("fees.amount",),
}
REVIEW_ITEMS: tuple[str, ...] = tuple(
    f"{block}.{part}"
    for block in ("review", "litigation_direct", "litigation_after_review")
    for part in ("upheld", "corrected", "other", "pending", "total")
)
#: Words that only the template row of each requests item has (checked while filling).
_REQUEST_WORDS: dict[str, str] = {
    "new_received": "本年新收", "carried_over": "上年结转", "granted": "予以公开", "partially_granted": "部分公开",
    "denied.state_secret": "国家秘密", "denied.prohibited_by_law": "禁止公开", "denied.security_stability": "三安全一稳定",
    "denied.third_party_rights": "第三方", "denied.internal_affairs": "内部事务", "denied.process_information": "过程性",
    "denied.enforcement_case_file": "执法案卷", "denied.administrative_query": "行政查询", "unable.not_held": "不掌握",
    "unable.needs_creation": "另行制作", "unable.unclear_after_correction": "仍不明确", "not_processed.petition_complaint": "信访",
    "not_processed.duplicate": "重复申请", "not_processed.publication": "出版物", "not_processed.excessive_repeated": "大量反复",
    "not_processed.reconfirmation": "重新出具", "other_handling.no_correction": "逾期不补正",
    "other_handling.unpaid_fee": "收费通知", "other_handling.other": "3.其他", "total_processed": "总计",
    "carried_forward": "结转下年度",
}

SAMPLE_TITLE = "示例县人民政府2022年政府信息公开工作年度报告"
SAMPLE_SECTIONS: dict[str, str] = {
    "一": "2022年，示例县人民政府全年新收政府信息公开申请135件，办结131件，结转下年度继续办理9件。",
    "五": "存在的主要问题是公开内容不够全面。下一步将加强培训。",
    "六": "本年度收取信息处理费0元。\n无其他需要报告的事项。",
}


def sample_values() -> dict[Key, str]:
    """All 200 cells of a 2021 report, as printed, consistent with the template's arithmetic.

    Table 2 has ``/`` for regulations (a county makes none) and a fee of ``5270.6597`` 万元.
    In table 3 the research-institution column is printed blank in every row, the
    social-welfare column ``/`` and the legal-service column ``—``; every row total, column
    balance and outcome total holds. Table 4 has an all-zero block beside non-zero ones.
    """
    values: dict[Key, str] = {
        ("active_disclosure", "regulations.issued", None): "/",
        ("active_disclosure", "regulations.repealed", None): "/",
        ("active_disclosure", "regulations.in_force", None): "/",
        ("active_disclosure", "normative_documents.issued", None): "12",
        ("active_disclosure", "normative_documents.repealed", None): "3",
        ("active_disclosure", "normative_documents.in_force", None): "470",
        ("active_disclosure", "licensing.decisions", None): "25870",
        ("active_disclosure", "penalty.decisions", None): "1036",
        ("active_disclosure", "enforcement.decisions", None): "0",
        ("active_disclosure", "fees.amount", None): "5270.6597",
    }
    # Leaf outcomes per applicant column (natural person, commercial, other org); the research
    # column is printed blank and the social-welfare/legal-service columns '/' except in totals.
    leaves = {
        "granted": (61, 7, 2), "partially_granted": (5, 1, 0), "denied.state_secret": (1, 0, 0),
        "denied.prohibited_by_law": (0, 0, 0), "denied.security_stability": (2, 0, 0),
        "denied.third_party_rights": (3, 1, 0), "denied.internal_affairs": (1, 0, 0),
        "denied.process_information": (4, 0, 1), "denied.enforcement_case_file": (0, 0, 0),
        "denied.administrative_query": (6, 0, 0), "unable.not_held": (17, 3, 1),
        "unable.needs_creation": (2, 0, 0), "unable.unclear_after_correction": (1, 0, 0),
        "not_processed.petition_complaint": (4, 0, 0), "not_processed.duplicate": (3, 0, 0),
        "not_processed.publication": (0, 0, 0), "not_processed.excessive_repeated": (1, 0, 0),
        "not_processed.reconfirmation": (0, 0, 0), "other_handling.no_correction": (2, 0, 0),
        "other_handling.unpaid_fee": (0, 0, 0), "other_handling.other": (1, 1, 0),
    }
    done = tuple(sum(v[k] for v in leaves.values()) for k in range(3))  # (114, 13, 4)
    carried_over = (4, 1, 0)
    carried_forward = (7, 2, 0)
    new_received = tuple(done[k] + carried_forward[k] - carried_over[k] for k in range(3))
    rows = {"new_received": new_received, "carried_over": carried_over, **leaves,
            "total_processed": done, "carried_forward": carried_forward}
    for item in requests_rows("2021"):
        person, company, other = rows[item]
        printed = {
            "natural_person": str(person), "commercial_enterprise": str(company), "research_institution": "",
            "social_welfare_org": "/", "legal_service_org": "—", "other_org": str(other),
            "total": str(person + company + other),
        }
        values.update({("requests", item, a): printed[a] for a in APPLICANTS})
    review = (3, 1, 0, 1, 5, 0, 0, 0, 0, 0, 2, 0, 1, 0, 3)
    values.update({("review_litigation", item, None): str(v) for item, v in zip(REVIEW_ITEMS, review)})
    assert set(values) == set(catalogue_cells("2021"))
    return values


# -- filling the official template ---------------------------------------------------------------

def _text(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(W + "t"))


def _set_paragraph_text(p: etree._Element, text: str) -> None:
    """Replace a paragraph's runs with one run of ``text`` (keeping its formatting)."""
    first_run = p.find(W + "r")
    run_props = first_run.find(W + "rPr") if first_run is not None else None
    for child in list(p):
        if child.tag != W + "pPr":
            p.remove(child)
    if not text:
        return
    run = etree.SubElement(p, W + "r")
    if run_props is not None:
        run.append(copy.deepcopy(run_props))
    t = etree.SubElement(run, W + "t")
    t.text = text
    t.set(XML_SPACE, "preserve")


def _set_cell_text(tc: etree._Element, text: str | Runs) -> None:
    paragraphs = tc.findall(W + "p")
    for extra in paragraphs[1:]:
        tc.remove(extra)
    if isinstance(text, Runs):
        _set_paragraph_runs(paragraphs[0], text)
    else:
        _set_paragraph_text(paragraphs[0], text)


class Runs(tuple):
    """A cell printed as several runs: WordprocessingML fragments made by :func:`run`,
    :func:`deleted` and :func:`inserted` (``w:`` prefix), in reading order. Use it as a value of
    :func:`fill_template` where a cell needs inline formatting (strike, superscript …)."""


def run(text: str, props: str = "") -> str:
    """One run of ``text``; ``props`` (``<w:strike/>``, ``<w:vertAlign w:val="superscript"/>`` …)
    is added to the cell's own run properties."""
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def deleted(text: str) -> str:
    """A run deleted in tracked changes (Word keeps it as ``w:delText`` inside ``w:del``)."""
    return f'<w:del w:id="901" w:author="审核" w:date="2024-01-01T00:00:00Z"><w:r><w:delText>{text}</w:delText></w:r></w:del>'


def inserted(text: str) -> str:
    """A run inserted in tracked changes (``w:ins``): printed."""
    return f'<w:ins w:id="902" w:author="审核" w:date="2024-01-01T00:00:00Z">{run(text)}</w:ins>'


def _set_paragraph_runs(p: etree._Element, runs: Runs) -> None:
    """Replace a paragraph's runs with ``runs``, each run keeping the cell's run formatting."""
    first_run = p.find(W + "r")
    run_props = first_run.find(W + "rPr") if first_run is not None else None
    for child in list(p):
        if child.tag != W + "pPr":
            p.remove(child)
    for fragment in runs:
        el = etree.fromstring(f'<w:wrap xmlns:w="{W_NS}">{fragment}</w:wrap>')[0]
        for r in el.iter(W + "r"):
            own = r.find(W + "rPr")
            if run_props is not None and own is not None:
                extra = list(own)
                own.getparent().replace(own, copy.deepcopy(run_props))
                merged = r.find(W + "rPr")
                for prop in extra:
                    old = merged.find(prop.tag)
                    if old is not None:
                        merged.remove(old)
                    merged.append(prop)
        p.append(el)


def _value_cells(tr: etree._Element, count: int) -> list[etree._Element]:
    cells = tr.findall(W + "tc")
    assert len(cells) >= count, f"template row {_text(tr)!r} has {len(cells)} cells, wanted {count} value cells"
    return cells[-count:]


def _fill_tables(body: etree._Element, values: dict[Key, str | Runs]) -> None:
    tables = body.findall(W + "tbl")
    assert len(tables) == 3, f"the 2021 template has 3 tables, this one {len(tables)}"
    active, requests, review = tables
    filled = 0
    for tr in active.findall(W + "tr"):
        label = norm(_text(tr.findall(W + "tc")[0]))
        items = ACTIVE_ROWS.get(label)
        if items:
            for tc, item in zip(_value_cells(tr, len(items)), items):
                _set_cell_text(tc, values.get(("active_disclosure", item, None), ""))
                filled += 1
    # The first three rows are the applicant header (申请人情况 / 自然人 … / 商业企业 …).
    data_rows = requests.findall(W + "tr")[3:]
    items = requests_rows("2021")
    assert len(data_rows) == len(items), f"{len(data_rows)} value rows in template table 3, expected {len(items)}"
    for tr, item in zip(data_rows, items):
        label = norm("".join(_text(tc) for tc in tr.findall(W + "tc")[:-7]))
        assert _REQUEST_WORDS[item] in label, f"template row {label!r} is not {item}"
        for tc, applicant in zip(_value_cells(tr, 7), APPLICANTS):
            _set_cell_text(tc, values.get(("requests", item, applicant), ""))
            filled += 1
    last = review.findall(W + "tr")[-1]
    for tc, item in zip(_value_cells(last, 15), REVIEW_ITEMS):
        _set_cell_text(tc, values.get(("review_litigation", item, None), ""))
        filled += 1
    assert filled == 200, filled


def _fill_prose(body: etree._Element, title: str | None, sections: dict[str, str] | None) -> None:
    paragraphs = body.findall(W + "p")
    if title is not None:
        heading = next(p for p in paragraphs if "年度报告格式模板" in _text(p))
        _set_paragraph_text(heading, title)
    for numeral, text in (sections or {}).items():
        index = next(i for i, p in enumerate(paragraphs) if _text(p).startswith(numeral + "、"))
        following = next((p for p in paragraphs[index + 1:] if _text(p).strip()), None)
        lines = text.split("\n")
        if following is not None and _text(following).startswith("（文字描述"):
            _set_paragraph_text(following, lines[0])
            anchor, rest = following, lines[1:]
        else:
            anchor, rest = paragraphs[index], lines
        for line in rest:
            new = copy.deepcopy(anchor)
            _set_paragraph_text(new, line)
            for bold in list(new.iter(W + "b", W + "bCs")):
                bold.getparent().remove(bold)
            anchor.addnext(new)
            anchor = new


def fill_template(
    template_path: Path,
    values: dict[Key, str | Runs],
    out_path: Path,
    title: str | None = SAMPLE_TITLE,
    sections: dict[str, str] | None = None,
    styles: str = "",
) -> Path:
    """Write a copy of the blank 2021 template with every table cell filled.

    ``values`` maps ``(table, item, applicant)`` to the text to print (missing keys print
    nothing); ``title`` replaces the template's heading; ``sections`` maps a section numeral
    (``"一"``, ``"五"``, ``"六"``) to its text (lines split on ``\\n``), replacing the
    ``（文字描述）`` placeholder (None: :data:`SAMPLE_SECTIONS`; ``{}`` keeps the placeholders).
    A value may be :class:`Runs` (a cell printed in several formatted runs); ``styles`` adds
    ``<w:style>`` elements (``w:`` prefix) to ``word/styles.xml``. Other parts are copied unchanged.
    """
    unknown = set(values) - set(catalogue_cells("2021"))
    if unknown:
        raise ValueError(f"not cells of the 2021 template: {sorted(unknown, key=str)[:5]}")
    with zipfile.ZipFile(template_path) as src:
        root = etree.fromstring(src.read("word/document.xml"))
        body = root.find(W + "body")
        _fill_tables(body, values)
        _fill_prose(body, title, sections if sections is not None else SAMPLE_SECTIONS)
        xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        replaced = {"word/document.xml": xml}
        if styles:
            styles_root = etree.fromstring(src.read("word/styles.xml"))
            for style in etree.fromstring(f'<w:wrap xmlns:w="{W_NS}">{styles}</w:wrap>'):
                styles_root.append(style)
            replaced["word/styles.xml"] = etree.tostring(styles_root, xml_declaration=True, encoding="UTF-8", standalone=True)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                dst.writestr(info.filename, replaced.get(info.filename) or src.read(info))
    return out_path


# -- minimal packages for single-feature reader tests --------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def document_xml(body: str, namespaces: str = _NAMESPACES, root: str = "w:document") -> bytes:
    """A ``word/document.xml`` around a body fragment (``<w:p>…</w:p><w:tbl>…</w:tbl>``)."""
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><{root} {namespaces}><w:body>{body}</w:body></{root}>'.encode()


def make_docx(out_path: Path, body: str = "", parts: dict[str, bytes | str] | None = None,
              document: bytes | None = None) -> Path:
    """A minimal .docx: content types, package relationships and a document with ``body``.

    ``parts`` adds or replaces zip entries (``None`` values are not written: use that to drop a
    part); ``document`` replaces the whole ``word/document.xml``.
    """
    entries: dict[str, bytes | str | None] = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _RELS,
        "word/document.xml": document if document is not None else document_xml(body),
    }
    entries.update(parts or {})
    with zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            if data is not None:
                zf.writestr(name, data)
    return out_path


def p(text: str) -> str:
    """A one-run paragraph."""
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def tc(text: str = "", props: str = "") -> str:
    """A table cell holding one paragraph; ``props`` goes inside ``<w:tcPr>``."""
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{p(text) if text else '<w:p/>'}</w:tc>"


def tbl(*rows: str, grid: int | None = None) -> str:
    """A table of ``<w:tr>`` strings; ``grid`` columns declared in ``<w:tblGrid>``."""
    cols = "".join('<w:gridCol w:w="1000"/>' for _ in range(grid or 0))
    return f"<w:tbl><w:tblPr/><w:tblGrid>{cols}</w:tblGrid>{''.join(rows)}</w:tbl>"


def tr(*cells: str, props: str = "") -> str:
    return f"<w:tr><w:trPr>{props}</w:trPr>{''.join(cells)}</w:tr>" if props else f"<w:tr>{''.join(cells)}</w:tr>"


def make_ole(out_path: Path, streams: tuple[str, ...] = ("EncryptionInfo", "EncryptedPackage")) -> Path:
    """A minimal OLE compound file (CFB v3) with empty ``streams``: the shape of an encrypted .docx.

    Office writes a password-protected .docx as an OLE file with ``EncryptionInfo`` and
    ``EncryptedPackage`` streams; pass ``("WordDocument",)`` for the shape of an old .doc.
    """
    end, free, fat_sect = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 40, 0, 1, 1, 0, 4096, end, 0, end)  # 1 FAT sector, dir at sector 1
    struct.pack_into("<I", header, 68, end)
    struct.pack_into("<109I", header, 76, 0, *([free] * 108))
    fat = struct.pack("<128I", fat_sect, end, *([free] * 126))

    def entry(name: str, kind: int, child: int = free, right: int = free) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        raw[0:len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, free, right, child)
        struct.pack_into("<IQ", raw, 116, end, 0)
        return bytes(raw)

    entries = [entry("Root Entry", 5, child=1)]
    for k, name in enumerate(streams, start=1):
        entries.append(entry(name, 2, right=k + 1 if k < len(streams) else free))
    directory = b"".join(entries).ljust(512 * ((len(entries) + 3) // 4), b"\0")
    out_path.write_bytes(bytes(header) + fat + directory)
    return out_path


# -- LibreOffice -----------------------------------------------------------------------------------

def soffice() -> str | None:
    """The LibreOffice command, or None where it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def has_cjk_font() -> bool:
    """Whether fontconfig knows a Chinese font (without one LibreOffice prints tofu boxes)."""
    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=60)
    return bool(listed.stdout.strip())


def soffice_convert(paths: Path | list[Path], out_dir: Path, target: str = "pdf", timeout: float = 240) -> list[Path] | None:
    """Convert files with ``soffice --headless --convert-to TARGET`` in one call (a private profile).

    ``target`` is ``pdf`` or ``docx`` (or any LibreOffice filter spec ``ext:Filter``). Returns the
    outputs in the order given, or None where LibreOffice is not installed.
    """
    command = soffice()
    if command is None:
        return None
    paths = [paths] if isinstance(paths, Path) else list(paths)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="govdisclose-lo-") as profile:
        subprocess.run(
            [command, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", target, "--outdir", str(out_dir), *map(str, paths)],
            check=True, capture_output=True, timeout=timeout, env={**os.environ, "HOME": profile},
        )
    extension = target.split(":", 1)[0]
    outputs = [out_dir / f"{path.stem}.{extension}" for path in paths]
    missing = [out.name for out in outputs if not out.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice wrote no {', '.join(missing)}")
    return outputs


def docx_to_pdf(docx_paths: Path | list[Path], out_dir: Path, timeout: float = 240) -> list[Path] | None:
    """The PDFs LibreOffice prints for DOCX files (None without LibreOffice)."""
    return soffice_convert(docx_paths, out_dir, "pdf", timeout)


_REMOTE_TAGS = re.compile(rb"<(script|iframe|object|video|audio)\b.*?</\1\s*>|<(img|link|base|embed|source)\b[^>]*>", re.I | re.S)


def offline_web_page(html_path: Path, out_dir: Path) -> Path:
    """A copy of a saved web page with nothing LibreOffice could fetch (images, scripts, links).

    The page's text and tables are untouched; the copy keeps the file's name and its encoding
    (the edit works on bytes); any URL left in an attribute or a style points nowhere.
    """
    data = _REMOTE_TAGS.sub(b"", html_path.read_bytes())
    data = re.sub(rb"(?i)\b(https?|ftp)://", b"offline:", data)
    data = re.sub(rb"""(["'(=]\s*)//(?=[\w.-]+[/"')])""", rb"\1offline:", data)  # protocol-relative URLs
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / html_path.name
    out.write_bytes(data)
    return out

"""The SYNTHETIC report as a DOCX (``gridSpan``/``vMerge``, built with python-docx from scratch)
and as a PDF (the DOCX converted by LibreOffice, where it is installed)."""

from __future__ import annotations

import html
import io
import shutil
import subprocess
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

from govdisclose.exceptions import GovDiscloseError
from govdisclose.synth.grids import blocks, slots
from govdisclose.synth.report import SynthReport
from govdisclose.template.catalogue import template_cells

__all__ = ["render_docx", "libreoffice", "to_pdf"]

_ZIP_DATE = (2019, 1, 1, 0, 0, 0)  # the date stamped on every zip entry (python-docx stamps "now")


@lru_cache(maxsize=2)
def _docx_skeleton(template: str) -> tuple[bytes, str]:
    """A DOCX of the template's layout with ``@@n@@`` tokens where text goes (built once with
    python-docx), and its ``word/document.xml``. Tokens are numbered in block/slot order."""
    try:
        import docx
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt
    except ImportError:  # pragma: no cover - python-docx is a dev dependency
        raise GovDiscloseError("writing DOCX needs python-docx (pip install python-docx)") from None
    dummy = SynthReport("示例", 2023, template, tuple("0" for _ in template_cells(template)))
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(10.5)
    token = 0
    for block in blocks(dummy):
        kind = block[0]
        if kind == "table":
            grid = block[1]
            spans = slots(grid)
            table = document.add_table(rows=len(spans), cols=len(spans[0]))
            table.style = "Table Grid"
            cells = [list(row.cells) for row in table.rows]  # once: table.cell() rescans the table
            origins = []
            for r, row in enumerate(spans):
                for c, span in enumerate(row):
                    if span is None:
                        continue
                    origins.append((r, c))
                    if span.rows > 1 or span.cols > 1:
                        cells[r][c].merge(cells[r + span.rows - 1][c + span.cols - 1])
            for r, c in origins:
                cells[r][c].paragraphs[0].text = f"@@{token}@@"
                token += 1
        else:
            paragraph = document.add_paragraph(f"@@{token}@@")
            token += 1
            if kind in ("title", "heading"):
                paragraph.runs[0].bold = True
                if kind == "title":
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    return data, xml


def render_docx(report: SynthReport) -> bytes:
    """The report as DOCX bytes: the template's skeleton with every token replaced by its text.
    The zip entries carry a fixed date, so the same report always gives the same bytes."""
    skeleton, xml = _docx_skeleton(report.template)
    texts: list[str] = []
    for block in blocks(report):
        if block[0] == "table":
            texts.extend(s.text for row in slots(block[1]) for s in row if s is not None)
        else:
            texts.append(block[1])
    parts = xml.split("@@")
    # parts alternate: text, token number, text, token number, ...
    for k in range(1, len(parts), 2):
        parts[k] = html.escape(texts[int(parts[k])], quote=False)
    body = "".join(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(skeleton)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = body.encode("utf-8") if info.filename == "word/document.xml" else src.read(info.filename)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            entry.compress_type, entry.external_attr = info.compress_type, info.external_attr
            dst.writestr(entry, data)
    return out.getvalue()


def libreoffice() -> str | None:
    """The LibreOffice program (``soffice``) if installed, else None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx_files: list[Path], out_dir: Path, timeout: float) -> set[Path]:
    """Convert DOCX files to PDF in out_dir with LibreOffice; the PDFs that were written."""
    program = libreoffice()
    if program is None or not docx_files:
        return set()
    with tempfile.TemporaryDirectory(prefix="govdisclose-lo-") as profile:
        for start in range(0, len(docx_files), 50):
            batch = docx_files[start:start + 50]
            try:
                subprocess.run(
                    [program, "--headless", "--norestore", f"-env:UserInstallation={Path(profile).as_uri()}",
                     "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, batch)],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout + 5 * len(batch), check=False,
                )
            except (subprocess.TimeoutExpired, OSError):
                continue
    return {p for p in (out_dir / f.with_suffix(".pdf").name for f in docx_files) if p.is_file() and p.stat().st_size > 0}



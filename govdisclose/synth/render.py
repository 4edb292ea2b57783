"""A SYNTHETIC report as a file's bytes: ``text`` (tab-separated cells, like
``data/mfa_2023.txt``), ``markdown`` (pipe tables), ``html`` and ``docx``."""

from __future__ import annotations

from govdisclose.synth.grids import blocks, slots
from govdisclose.synth.office import render_docx
from govdisclose.synth.report import SynthReport
from govdisclose.synth.webpage import render_html

__all__ = ["SUFFIXES", "FORMATS", "render", "render_text"]

#: Formats the generator writes, and their suffixes.
SUFFIXES: dict[str, str] = {"text": ".txt", "markdown": ".md", "html": ".html", "docx": ".docx", "pdf": ".pdf"}
FORMATS: tuple[str, ...] = tuple(SUFFIXES)


def render_text(report: SynthReport, sep: str) -> str:
    """Tables as ``sep``-separated slots (``"\\t"``: text; ``"|"``: markdown pipe tables),
    headings as ``#``/``##`` lines, paragraphs between blank lines."""
    lines: list[str] = []
    for block in blocks(report):
        kind = block[0]
        if kind == "table":
            spans = slots(block[1])
            for r, row in enumerate(spans):
                texts = [s.text if s is not None else "" for s in row]
                if sep == "|":
                    lines.append("| " + " | ".join(texts) + " |")
                    if r == 0:
                        lines.append("|" + "---|" * len(texts))
                else:
                    lines.append("\t".join(texts))
            lines.append("")
        elif kind == "title":
            lines += [f"# {block[1]}", ""]
        elif kind == "heading":
            lines += [f"## {block[1]}", ""]
        else:
            lines += [block[1], ""]
    return "\n".join(lines)


def render(report: SynthReport, fmt: str) -> bytes:
    """The report as a file's bytes in ``text``, ``markdown``, ``html`` or ``docx`` (for PDF see
    :func:`govdisclose.synth.generate_corpus`).

    >>> from govdisclose.synth import make_report
    >>> text = render(make_report("示例东山县交通运输局", 2023, seed=3), "text").decode()
    >>> text.splitlines()[0].startswith("【合成示例数据 SYNTHETIC】")
    True
    """
    if fmt == "text":
        return render_text(report, "\t").encode("utf-8")
    if fmt == "markdown":
        return render_text(report, "|").encode("utf-8")
    if fmt == "html":
        return render_html(report).encode("utf-8")
    if fmt == "docx":
        return render_docx(report)
    raise ValueError(f"render() writes {', '.join(f for f in FORMATS if f != 'pdf')}; not {fmt!r}")


"""Clark names of the WordprocessingML elements the DOCX reader reads (transitional or strict namespace)."""

from __future__ import annotations

__all__ = ["Tags", "MC"]

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


class Tags:
    """Clark names of the WordprocessingML elements read, for one namespace."""

    body: str
    p: str
    r: str
    t: str
    tab: str
    ptab: str
    br: str
    cr: str
    noBreakHyphen: str
    softHyphen: str
    sym: str
    tbl: str
    tblGrid: str
    gridCol: str
    tr: str
    trPr: str
    tc: str
    tcPr: str
    gridSpan: str
    vMerge: str
    hMerge: str
    gridBefore: str
    gridAfter: str
    sdt: str
    sdtContent: str
    customXml: str
    txbxContent: str
    rPr: str
    vanish: str
    altChunk: str
    drawing: str
    pict: str

    def __init__(self, ns: str) -> None:
        w = "{" + ns + "}"
        self.w = w
        for name in (
            "body", "p", "r", "t", "tab", "ptab", "br", "cr", "noBreakHyphen", "softHyphen", "sym",
            "tbl", "tblGrid", "gridCol", "tr", "trPr", "tc", "tcPr", "gridSpan", "vMerge", "hMerge",
            "gridBefore", "gridAfter", "sdt", "sdtContent", "customXml", "txbxContent", "rPr",
            "vanish", "altChunk", "drawing", "pict",
        ):
            setattr(self, name, w + name)
        # Subtrees that hold no printed text (or text that is not printed).
        self.skip = frozenset(
            w + name
            for name in (
                "pPr", "rPr", "tcPr", "trPr", "tblPr", "sectPr", "del", "moveFrom", "delText",
                "instrText", "delInstrText", "fldChar", "footnoteReference", "endnoteReference",
                "commentReference", "annotationRef", "sdtPr", "sdtEndPr", "customXmlPr",
                "smartTagPr", "lastRenderedPageBreak", "bookmarkStart", "bookmarkEnd",
            )
        )
        # Containers whose children are block content (paragraphs, tables).
        self.block_wrappers = frozenset((self.sdt, self.sdtContent, self.customXml))

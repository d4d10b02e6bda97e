"""The reference document a DOCX paper is styled from: A4, a sans-serif font, and the protective
marking (with DRAFT while it is one) in the header and footer, with "Page X of Y".

pandoc copies a reference document's headers and footers as they are, so each build makes its
own from pandoc's default: the marking cannot come from a template variable.
"""

from __future__ import annotations

import io
import re
import zipfile
from html import escape  # &, <, > and quotes, as XML wants them (xml.sax would import urllib, http, ssl)

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEADER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
_FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
FONT = "Arial"


def _run(text: str, bold: bool = True) -> str:
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _field(code: str) -> str:
    return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')


def _para(runs: str) -> str:
    return f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr>{runs}</w:p>'


def header_xml(marking: str, draft: bool) -> str:
    body = _para(_run(marking)) + (_para(_run("DRAFT")) if draft else "")
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr {_W}>{body}</w:hdr>'


def footer_xml(marking: str) -> str:
    page = _run("Page ", False) + _field("PAGE") + _run(" of ", False) + _field("NUMPAGES")
    body = _para(_run(marking)) + _para(page)
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr {_W}>{body}</w:ftr>'


def reference(default: bytes, marking: str, draft: bool) -> bytes:
    """pandoc's default reference document with mars's page, font, header and footer."""
    source = zipfile.ZipFile(io.BytesIO(default))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, _changed(item.filename, data))
        target.writestr("word/header1.xml", header_xml(marking, draft))
        target.writestr("word/footer1.xml", footer_xml(marking))
    return out.getvalue()


def _changed(name: str, data: bytes) -> bytes:
    text = data.decode("utf-8")
    if name == "word/_rels/document.xml.rels":
        text = text.replace("</Relationships>",
                            f'<Relationship Type="{_REL}/header" Id="rIdMarsHeader" Target="header1.xml" />'
                            f'<Relationship Type="{_REL}/footer" Id="rIdMarsFooter" Target="footer1.xml" /></Relationships>')
    elif name == "[Content_Types].xml":
        text = text.replace("</Types>",
                            f'<Override PartName="/word/header1.xml" ContentType="{_HEADER_TYPE}" />'
                            f'<Override PartName="/word/footer1.xml" ContentType="{_FOOTER_TYPE}" /></Types>')
    elif name == "word/document.xml":
        section = ('<w:sectPr><w:headerReference w:type="default" r:id="rIdMarsHeader" />'
                   '<w:footerReference w:type="default" r:id="rIdMarsFooter" />'
                   '<w:pgSz w:w="11906" w:h="16838" />'
                   '<w:pgMar w:top="1417" w:right="1247" w:bottom="1417" w:left="1247" w:header="567" w:footer="567" w:gutter="0" />')
        text = re.sub(r"<w:sectPr>", section, text, count=1)
        if "xmlns:r=" not in text[:2000]:
            text = text.replace("<w:document ", f'<w:document xmlns:r="{_REL}" ', 1)
    elif name == "word/styles.xml":
        fonts = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}" />'
        text = re.sub(r"<w:rFonts [^>]*/>", fonts, text)
    return text.encode("utf-8")

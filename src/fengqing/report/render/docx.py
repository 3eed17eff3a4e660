"""The .docx rendering in the GB/T 9704-2012 layout (DESIGN §6), with the East Asian font pitfalls of
notes/stack.md handled: fonts set for ``w:eastAsia`` (and the ``eastAsia`` hint, so “” are full width), theme
fonts removed from every style, language zh-CN, child elements in schema order, a line grid of 22 lines of
28 characters, and snapToGrid off where a line is taller than the grid (title, table cells)."""

from __future__ import annotations

import re
from datetime import datetime, time
from functools import cache

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from ..document import Appendix, Closing, Document, Figure, Heading, Paragraph, Table
from ..runs import Run, plain, text_width
from .docx_package import Package, Template

FANGSONG, HEITI, KAITI, XIAOBIAOSONG, SONGTI = "仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体"
LATIN = "Times New Roman"
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
BODY_PT, TITLE_PT, PAGE_NO_PT, TABLE_PT, NOTE_PT = 16, 22, 14, 12, 14
LINE_PITCH = Pt(28.95)  # 22 lines in the 223 mm text block
FIGURE_WIDTH = Mm(150)  # within the 156 mm text block
TITLE_LINE = Pt(35)
#: heading level → (East Asian font, bold)
HEADING_FONTS = {1: (HEITI, False), 2: (KAITI, False), 3: (FANGSONG, True), 4: (FANGSONG, True)}


def render(doc: Document) -> bytes:
    d = Package(_template())
    _setup_metadata(d, doc)
    _centred_title(d, doc.title.runs)
    _blank(d)
    for b in doc.blocks:
        _block(d, b)
    return d.save()


@cache
def _template() -> Template:
    """python-docx's template with the styles, the page and the settings every report shares, made once per
    process: a report starts from it as it would from the bare template, without laying them out again."""
    d = new_docx()
    _setup_styles(d)
    _setup_page(d)
    _setup_shared_metadata(d)
    return Template.of(d)


def set_fonts(rpr_owner, east_asia: str, latin: str = LATIN) -> None:
    """Fonts of a run or style for both scripts; theme fonts would otherwise win in Word."""
    rfonts = rpr_owner.get_or_add_rPr().get_or_add_rFonts()
    for attr in THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin), ("w:eastAsia", east_asia),
                        ("w:hint", "eastAsia")):
        rfonts.set(qn(attr), value)


def _setup_styles(d) -> None:
    styles = d.styles.element
    for rfonts in styles.iter(qn("w:rFonts")):
        for attr in THEME_ATTRS:
            rfonts.attrib.pop(qn(attr), None)
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:eastAsia"), "zh-CN")
    normal = d.styles["Normal"]
    set_fonts(normal.element, FANGSONG)
    normal.font.size = Pt(BODY_PT)
    # GB/T 9704 7.1: 28 characters a line in the 156 mm text block, where only 27.6 fit at 16 pt: characters
    # condensed by 0.25 pt (Word's 紧缩). Else a full-width mark falling 28th hangs into the margin, and LibreOffice
    # leaves such a mark out of a justified line (the PDF lost a "，" and a "、" of the demo report)
    condensed = OxmlElement("w:spacing")
    condensed.set(qn("w:val"), str(CONDENSED_TWIPS))
    normal.element.get_or_add_rPr().insert_element_before(condensed, *_AFTER_SPACING)
    pf = normal.paragraph_format
    pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, LINE_PITCH
    pf.space_before = pf.space_after = Pt(0)
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.widow_control = True
    ppr = normal.element.get_or_add_pPr()
    # LibreOffice, like Word's default, would put a space between CJK and digits ("第 1 项")
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        el = ppr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            ppr.insert_element_before(el, *_AFTER_AUTOSPACE)
        el.set(qn("w:val"), "0")


#: character spacing of the body, in twentieths of a point: 28 × (16 − 0.25) pt = 441 pt ≤ 156 mm (442.2 pt)
CONDENSED_TWIPS = -5
# rPr children that come after w:spacing in the schema (CT_RPr order)
_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
                  "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
                  "w:specVanish", "w:oMath")
# pPr children that come after autoSpaceDE/autoSpaceDN in the schema (CT_PPrBase order)
_AFTER_AUTOSPACE = ("w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
                    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                    "w:pPrChange")


def _setup_metadata(d: Package, doc: Document) -> None:
    """The document's own properties, not python-docx's template's (author python-docx, created 2013)."""
    props = d.core_properties
    when = None
    if doc.date is not None:  # a redacted report keeps the year only (DESIGN §6): 1 January of it
        when = datetime.combine(doc.date.replace(month=1, day=1) if doc.redacted else doc.date, time())
    props.title, props.author, props.last_modified_by = doc.title_text, doc.unit, doc.unit
    props.subject, props.keywords, props.comments, props.category = "政治生态分析研判", "", "", ""
    props.language, props.revision = "zh-CN", 1
    if when is not None:
        props.created = props.modified = when


def _setup_shared_metadata(d) -> None:
    """zh-CN as the theme's East Asian language (the template says ja-JP), also in Word 2010's styles."""
    theme_lang = d.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    for part in d.part.package.iter_parts():  # Word 2010's copy of the styles, which python-docx does not parse
        if part.partname == "/word/stylesWithEffects.xml":
            part._blob = part.blob.replace(b'w:eastAsia="en-US"', b'w:eastAsia="zh-CN"')


def _setup_page(d) -> None:
    s = d.sections[0]
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    s.header_distance, s.footer_distance = Mm(15), Mm(25)
    sect = s._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), "579")
    sect.append(grid)
    d.settings.odd_and_even_pages_header_footer = True
    _page_number(s.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(s.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(p, align) -> None:
    """— N — in 4号 宋体, one character in from the right edge on odd pages and from the left on even."""
    p.alignment = align
    pf = p.paragraph_format
    pf.first_line_indent = Pt(0)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        pf.right_indent = Pt(PAGE_NO_PT)
    else:
        pf.left_indent = Pt(PAGE_NO_PT)
    pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.SINGLE, 1.0
    _no_grid(p)
    _field_run(p, "— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = _field_run(p, "")
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text.strip() == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    _field_run(p, " —")


def _field_run(p, text: str):
    run = p.add_run(text)
    set_fonts(run._r, SONGTI, SONGTI)
    run.font.size = Pt(PAGE_NO_PT)
    return run


def _no_grid(p) -> None:
    ppr = p._p.get_or_add_pPr()
    el = OxmlElement("w:snapToGrid")
    el.set(qn("w:val"), "0")
    ppr.insert_element_before(el, *_AFTER_AUTOSPACE[3:])


def _indent(p, chars: int = 2) -> None:
    ind = p._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(chars * BODY_PT * 20))


def _outline(p, level: int) -> None:
    ppr = p._p.get_or_add_pPr()
    el = OxmlElement("w:outlineLvl")
    el.set(qn("w:val"), str(level))
    ppr.insert_element_before(el, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


#: a redaction mask (**, ***) must not be broken across lines: its asterisks are joined by Word's "no-width
#: non break" (U+200D), which LibreOffice also keeps together (UAX #14 LB8a)
_MASK = re.compile(r"\*{2,}")
NO_BREAK = "\u200d"


def _add_runs(p, runs: list[Run], east_asia: str | None = None, bold: bool = False, size: int | None = None):
    """The runs at the end of a paragraph's w:p, each a copy of the prepared run of its style."""
    text_run, break_run = _run_templates(east_asia, bold, size)
    for r in runs:
        if r.kind == "break":
            p.append(break_run.__copy__())  # lxml copies the whole element
        else:
            run = text_run.__copy__()
            run[-1].text = _MASK.sub(_unbreakable, r.text) if "**" in r.text else r.text
            p.append(run)


def _unbreakable(mask: re.Match) -> str:
    return NO_BREAK.join(mask.group())


@cache
def _run_templates(east_asia: str | None, bold: bool, size: int | None):
    """(a run of text, a run holding a line break) in a style, built once and copied (python-docx's setters
    and OxmlElement are slow when a report has hundreds of runs)."""
    text, line_break = OxmlElement("w:r"), OxmlElement("w:r")
    text.append(_run_properties(east_asia, bold, size))
    line_break.append(_run_properties(east_asia, bold, size))
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    text.append(t)
    line_break.append(OxmlElement("w:br"))
    return text, line_break


def _run_properties(east_asia: str | None, bold: bool, size: int | None):
    """A run's w:rPr. Children in schema order: rFonts, b, sz, szCs."""
    rpr = OxmlElement("w:rPr")
    rfonts = OxmlElement("w:rFonts")
    if east_asia:
        for attr, value in (("w:ascii", LATIN), ("w:hAnsi", LATIN), ("w:cs", LATIN), ("w:eastAsia", east_asia)):
            rfonts.set(qn(attr), value)
    rfonts.set(qn("w:hint"), "eastAsia")  # “” and — drawn full width, in the East Asian font
    rpr.append(rfonts)
    if bold:
        rpr.append(OxmlElement("w:b"))
    if size:
        for tag in ("w:sz", "w:szCs"):
            el = OxmlElement(tag)
            el.set(qn("w:val"), str(size * 2))
            rpr.append(el)
    return rpr


def _centred_title(d: Package, runs: list[Run]) -> None:
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    pf = p.paragraph_format
    pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, TITLE_LINE
    pf.keep_with_next = True
    _no_grid(p)
    _add_runs(p._p, runs, XIAOBIAOSONG, size=TITLE_PT)


def _blank(d: Package) -> None:
    d.append(_paragraph_template(keep=True).__copy__())


def _body(d: Package, runs: list[Run], indent: bool = True) -> None:
    p = _paragraph_template(indent).__copy__()
    _add_runs(p, runs)
    d.append(p)


@cache
def _paragraph_template(indent: bool = False, level: int = 0, keep: bool = False):
    """An empty w:p, built once by python-docx's own setters and copied: indented two characters; of a heading's
    outline level (1 first); kept with the next paragraph."""
    p = DocxParagraph(OxmlElement("w:p"), None)
    if indent:
        _indent(p)
    if level:
        _outline(p, level - 1)
    if keep:
        p.paragraph_format.keep_with_next = True
    return p._p


def _closing(d: Package, c: Closing) -> None:
    """The 附件说明 (a blank line below the body, indented two characters), then a blank line, then the signer
    and the date right-aligned, each its own distance in from the margin."""
    if c.attachment:
        d.add_paragraph()
        _body(d, [Run(c.attachment)])
    d.add_paragraph().paragraph_format.keep_with_next = True
    for text, chars in zip((c.signer, c.date), c.right_indents()):
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        ind = p._p.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:rightChars"), str(round(chars * 100)))
        ind.set(qn("w:right"), str(round(chars * BODY_PT * 20)))
        p.paragraph_format.keep_with_next = text == c.signer
        _add_runs(p._p, [Run(text)])


def _block(d: Package, b) -> None:
    if isinstance(b, Heading):
        p = _paragraph_template(True, b.level, keep=not b.inline or b.level == 1).__copy__()
        font, bold = HEADING_FONTS[b.level]
        _add_runs(p, b.runs, font, bold)
        _add_runs(p, b.inline)
        d.append(p)
        for c in b.children:
            _block(d, c)
    elif isinstance(b, Paragraph):
        _body(d, b.runs, b.indent)
    elif isinstance(b, Closing):
        _closing(d, b)
    elif isinstance(b, Table):
        _table(d, b)
    elif isinstance(b, Figure):
        _figure(d, b)
    elif isinstance(b, Appendix):
        p = d.add_paragraph()
        p.add_run().add_break(WD_BREAK.PAGE)
        p = d.add_paragraph()
        _add_runs(p._p, [Run(b.label)], HEITI)
        p.paragraph_format.keep_with_next = True
        _blank(d)
        _centred_title(d, b.title)
        _blank(d)
        for c in b.children:
            _block(d, c)
    else:
        raise TypeError(f"unknown block {b!r}")


def _figure(d: Package, f: Figure) -> None:
    """The chart centred, its paragraph sized by the picture (an exact line height would crop it to one line,
    and the grid would round it up to whole lines), kept with the caption below it. The line of space above
    it is spacing, not a blank paragraph, so it is dropped when the chart starts a page."""
    p = d.add_paragraph()
    pf = p.paragraph_format
    pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.SINGLE, 1.0
    pf.space_before = LINE_PITCH
    pf.keep_with_next = True
    _no_grid(p)
    p.add_run()._r.add_drawing(d.picture(f.image("png"), FIGURE_WIDTH))
    caption = d.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_runs(caption._p, f.caption, FANGSONG, size=BODY_PT)
    if note := f.note():
        # the 注 of a capped point, in 4号 below the caption, as a figure's notes are set in smaller type
        caption.paragraph_format.keep_with_next = True
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.paragraph_format.line_spacing_rule, p.paragraph_format.line_spacing = WD_LINE_SPACING.SINGLE, 1.0
        _no_grid(p)
        _add_runs(p._p, [Run(note)], FANGSONG, size=NOTE_PT)


def _table(d: Package, t: Table) -> None:
    tbl = CT_Tbl.new_tbl(len(t.rows) + 1, len(t.header), d.block_width)
    d.append(tbl)
    table = DocxTable(tbl, None)  # type: ignore[arg-type]
    tbl.tblStyle_val = _table_grid_id()
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = _column_widths(t)
    for column, width in zip(table.columns, widths):
        column.width = width  # the grid, which LibreOffice reads; Word reads the cells'
    # the cells as XML: python-docx's row.cells works out the grid of merged cells, slow on every row
    rows = table._tbl.tr_lst
    rows[0].get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeat on each page
    for cell, width in zip(rows[0].tc_lst, widths):
        cell.width = width
    # the other rows' cells take the header's widths as python-docx wrote them (its setters are slow)
    twips = [cell.tcPr.tcW.get(qn("w:w")) for cell in rows[0].tc_lst]
    for i, (row, contents) in enumerate(zip(rows, [[[Run(h)] for h in t.header], *t.rows])):
        for cell, runs, w in zip(row.tc_lst, contents, twips):
            cell.tcPr.tcW.set(qn("w:w"), w)
            _cell(cell.p_lst[0], runs, bold=i == 0)


@cache
def _table_grid_id() -> str:
    """The template's Table Grid style's id, looked up once (python-docx looks through every style each time)."""
    return new_docx().styles["Table Grid"].style_id  # the same in the prepared template


def _column_widths(t: Table) -> list[Mm]:
    """Widths in proportion to each column's longest text (capped, so one long name does not starve the
    others), filling the 156 mm text block."""
    longest = [max([text_width(h)] + [text_width(plain(row[i])) for row in t.rows])
               for i, h in enumerate(t.header)]
    weights = [min(w, 14) + 1 for w in longest]
    return [Mm(156 * w / sum(weights)) for w in weights]


def _cell(p, runs: list[Run], bold: bool) -> None:
    p.insert(0, _cell_paragraph_properties().__copy__())
    _add_runs(p, runs, HEITI if bold else FANGSONG, size=TABLE_PT)


@cache
def _cell_paragraph_properties():
    """Centred, a fixed 1.5-line pitch off the page grid (children in schema order: snapToGrid, spacing, jc)."""
    ppr = OxmlElement("w:pPr")
    for tag, attrs in (("w:snapToGrid", {"w:val": "0"}),
                       ("w:spacing", {"w:line": str(TABLE_PT * 30), "w:lineRule": "exact"}),
                       ("w:jc", {"w:val": "center"})):
        el = OxmlElement(tag)
        for k, v in attrs.items():
            el.set(qn(k), v)
        ppr.append(el)
    return ppr

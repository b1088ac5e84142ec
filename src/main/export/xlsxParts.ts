/**
 * The fixed parts of an XLSX package (content types, relationships, workbook, styles, the
 * drawing that holds a chart picture) and the escaping every text cell goes through.
 * Text is always an inline string (`t="inlineStr"`), never a formula, so a cell that starts
 * with `=` is shown, not evaluated.
 */

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Style indexes into cellXfs below. */
export const STYLE = { default: 0, header: 1, percent: 2, integer: 3, number: 4, date: 5, datetime: 6, title: 7, label: 8 } as const;

const NEEDS_ESCAPE = /[&<>"\u0000-\u0008\u000b\u000c\u000d\u000e-\u001f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_/;

/** XML text for a cell or attribute: markup escaped, characters XML cannot hold dropped, CR
    kept as a character reference, and OOXML's own `_xHHHH_` escapes protected. */
export function xmlText(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s
    .replace(/_(x[0-9A-Fa-f]{4}_)/g, '_x005F_$1')
    .replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'))
    .replace(/\r/g, '&#13;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
}

function textElement(s: string): string {
  const keep = s.length > 0 && (s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32);
  return keep ? `<t xml:space="preserve">${xmlText(s)}</t>` : `<t>${xmlText(s)}</t>`;
}

/** An inline string cell; whitespace at either end is kept. `refAttr` is ` r="B7"` or empty. */
export function inlineStringCell(refAttr: string, s: string, style = 0): string {
  return `<c${refAttr}${style ? ` s="${style}"` : ''} t="inlineStr"><is>${textElement(s)}</is></c>`;
}

export function stringCell(ref: string, s: string, style = 0): string {
  return inlineStringCell(` r="${ref}"`, s, style);
}

export function sharedStringsXml(list: string[]): string {
  return `${XML_HEAD}<sst xmlns="${MAIN_NS}" count="${list.length}" uniqueCount="${list.length}">${list.map((s) => `<si>${textElement(s)}</si>`).join('')}</sst>`;
}

export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Days since 1899-12-30, Excel's serial date (UTC: the exports show UTC instants). */
export function excelSerial(ms: number): number {
  return ms / 86_400_000 + 25_569;
}

export function worksheetHead(options: { frozenHeader: boolean; widths: number[]; columnStyles?: number[] }): string {
  const pane = options.frozenHeader
    ? '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView>'
    : '<sheetView workbookViewId="0"/>';
  const cols = options.widths
    .map((w, i) => {
      const style = options.columnStyles?.[i] ?? 0;
      return `<col min="${i + 1}" max="${i + 1}" width="${w.toFixed(2)}" customWidth="1"${style ? ` style="${style}"` : ''}/>`;
    })
    .join('');
  // Printing fits the columns to the page width.
  return `${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><sheetViews>${pane}</sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>`;
}

export interface SheetTail {
  autoFilter?: string;
  colorScales?: string[];
  drawingRelId?: string;
  landscape?: boolean;
}

export function worksheetTail(t: SheetTail): string {
  const filter = t.autoFilter ? `<autoFilter ref="${t.autoFilter}"/>` : '';
  const scales = (t.colorScales ?? [])
    .map(
      (ref, i) =>
        `<conditionalFormatting sqref="${ref}"><cfRule type="colorScale" priority="${i + 1}"><colorScale><cfvo type="num" val="0"/><cfvo type="num" val="50"/><cfvo type="num" val="100"/><color rgb="FFF8696B"/><color rgb="FFFFEB84"/><color rgb="FF63BE7B"/></colorScale></cfRule></conditionalFormatting>`,
    )
    .join('');
  const margins = '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>';
  const setup = `<pageSetup orientation="${t.landscape ? 'landscape' : 'portrait'}" fitToWidth="1" fitToHeight="0"/>`;
  const drawing = t.drawingRelId ? `<drawing r:id="${t.drawingRelId}"/>` : '';
  return `</sheetData>${filter}${scales}${margins}${setup}${drawing}</worksheet>`;
}

export const STYLES_XML = `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}">
<numFmts count="4"><numFmt numFmtId="164" formatCode="0.00"/><numFmt numFmtId="165" formatCode="#,##0.####"/><numFmt numFmtId="166" formatCode="yyyy-mm-dd"/><numFmt numFmtId="167" formatCode="yyyy-mm-dd hh:mm"/></numFmts>
<fonts count="4"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><color rgb="FFFFFFFF"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="16"/><color rgb="FF0B5CAD"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FF0B5CAD"/><bgColor indexed="64"/></patternFill></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="9">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment vertical="center"/></xf>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
<dxfs count="0"/><tableStyles count="0"/>
</styleSheet>`;

export interface WorkbookSheet {
  name: string;
  /** 1-based: xl/worksheets/sheetN.xml */
  file: number;
  /** The autofilter range as a defined name, e.g. 'Data'!$A$1:$L$100. */
  filterRange?: string;
}

function quoteSheet(name: string): string {
  return `'${name.replaceAll("'", "''")}'`;
}

export function filterDefinedName(sheetName: string, lastColumn: string, lastRow: number): string {
  return `${quoteSheet(sheetName)}!$A$1:$${lastColumn}$${lastRow}`;
}

export function workbookXml(sheets: WorkbookSheet[]): string {
  const list = sheets.map((s, i) => `<sheet name="${xmlText(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  const names = sheets
    .map((s, i) => (s.filterRange ? `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${xmlText(s.filterRange)}</definedName>` : ''))
    .join('');
  return `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><workbookPr/><bookViews><workbookView activeTab="0"/></bookViews><sheets>${list}</sheets>${names ? `<definedNames>${names}</definedNames>` : ''}<calcPr calcId="0"/></workbook>`;
}

export function workbookRels(sheets: WorkbookSheet[]): string {
  const rels = sheets.map((s, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${s.file}.xml"/>`).join('');
  return `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">${rels}<Relationship Id="rId${sheets.length + 1}" Type="${REL_NS}/styles" Target="styles.xml"/><Relationship Id="rId${sheets.length + 2}" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;
}

export const ROOT_RELS = `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="${REL_NS}/extended-properties" Target="docProps/app.xml"/></Relationships>`;

export function contentTypes(sheetFiles: number[], drawings: number, images: boolean): string {
  const sheets = sheetFiles.map((n) => `<Override PartName="/xl/worksheets/sheet${n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('');
  const drawingParts = Array.from({ length: drawings }, (_, i) => `<Override PartName="/xl/drawings/drawing${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>`).join('');
  return `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${images ? '<Default Extension="png" ContentType="image/png"/>' : ''}<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${sheets}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>${drawingParts}<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`;
}

export function coreProps(title: string, createdIso: string): string {
  return `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>${xmlText(title)}</dc:title><dc:creator>SiteReport</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${createdIso}</dcterms:created></cp:coreProperties>`;
}

export const APP_PROPS = `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>SiteReport</Application></Properties>`;

export function sheetDrawingRels(drawing: number): string {
  return `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/drawing" Target="../drawings/drawing${drawing}.xml"/></Relationships>`;
}

export interface PlacedPicture {
  /** 1-based image number: xl/media/imageN.png */
  image: number;
  /** Zero-based anchor row and column. */
  row: number;
  col: number;
  widthPx: number;
  heightPx: number;
  name: string;
}

const EMU_PER_PX = 9525;

export function drawingXml(pictures: PlacedPicture[]): string {
  const anchors = pictures
    .map((p, i) => {
      const cx = Math.round(p.widthPx * EMU_PER_PX);
      const cy = Math.round(p.heightPx * EMU_PER_PX);
      return `<xdr:oneCellAnchor><xdr:from><xdr:col>${p.col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${p.row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="${cx}" cy="${cy}"/><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="${i + 2}" name="${xmlText(p.name)}" descr="${xmlText(p.name)}"/><xdr:cNvPicPr><a:picLocks noChangeAspect="1"/></xdr:cNvPicPr></xdr:nvPicPr><xdr:blipFill><a:blip r:embed="rId${i + 1}"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill><xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic><xdr:clientData/></xdr:oneCellAnchor>`;
    })
    .join('');
  return `${XML_HEAD}<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="${REL_NS}">${anchors}</xdr:wsDr>`;
}

export function drawingRels(pictures: PlacedPicture[]): string {
  const rels = pictures.map((p, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/image" Target="../media/image${p.image}.png"/>`).join('');
  return `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">${rels}</Relationships>`;
}

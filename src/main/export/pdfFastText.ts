/**
 * Listing lines for long PDF tables, written as raw text operators. jsPDF's own path encodes
 * each character of an Identity-H font with a linear search of the font's width table, which
 * made a 20,000-row listing spend most of its time there. Here each distinct character is
 * looked up once; the glyphs are still registered with jsPDF's font (used glyphs, widths,
 * ToUnicode), so the embedded subset and text extraction stay right.
 */
import type { jsPDF } from 'jspdf';

interface FontMetadata {
  characterToGlyph(code: number): number;
  widthOfGlyph(glyph: number): number;
  glyIdsUsed: number[];
  toUnicode: Record<number, number>;
  Unicode: { widths: Array<number | number[]> };
}

/** A text writer for the document's current font (an embedded Identity-H TrueType font). */
export function fastTextWriter(doc: jsPDF, size: number, rgb: [number, number, number]): (text: string, x: number, y: number) => void {
  // getFont and write are jsPDF internals its typings leave out.
  const internal = doc.internal as unknown as { getFont(): { id: string; encoding: string; metadata: FontMetadata }; write(s: string): void; scaleFactor: number };
  const font = internal.getFont();
  if (font.encoding !== 'Identity-H') throw new Error('fastTextWriter needs an embedded Identity-H font');
  const meta = font.metadata;
  const hexOf = new Map<number, string>();
  const k = internal.scaleFactor;
  const colour = rgb.map((c) => (c / 255).toFixed(3)).join(' ');
  // Hex pieces are joined, not appended: `hex += h` left each stored line a tree of one string
  // per character (about 5 KB a row), which made a 20,000-row listing hold 100 MB.
  const pieces: string[] = [];
  const encode = (text: string): string => {
    pieces.length = text.length;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      let h = hexOf.get(code);
      if (h === undefined) {
        const glyph = meta.characterToGlyph(code);
        meta.glyIdsUsed.push(glyph);
        meta.toUnicode[glyph] = code;
        if (meta.Unicode.widths.indexOf(glyph) === -1) meta.Unicode.widths.push(glyph, [Math.round(meta.widthOfGlyph(glyph))]);
        h = glyph.toString(16).padStart(4, '0');
        hexOf.set(code, h);
      }
      pieces[i] = h;
    }
    return pieces.join('');
  };
  return (text, x, y) => {
    const pageHeight = doc.internal.pageSize.getHeight();
    internal.write([`BT /${font.id} ${size.toFixed(2)} Tf ${colour} rg ${(x * k).toFixed(2)} ${((pageHeight - y) * k).toFixed(2)} Td <`, encode(text), '> Tj ET'].join(''));
  };
}

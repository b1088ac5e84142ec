/**
 * Draws the SVG that echarts' server-side renderer emits into a jsPDF page as vectors: paths
 * (M L H V C Q A Z, absolute and relative), rects and text, with nested translate/matrix
 * transforms, fills, strokes and opacity. This is the subset echarts produces for bar and line
 * charts; clip paths are ignored because, without animation, nothing is drawn outside them.
 */
import { GState, type jsPDF } from 'jspdf';

type Matrix = [number, number, number, number, number, number];

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

function multiply(m: Matrix, n: Matrix): Matrix {
  return [m[0] * n[0] + m[2] * n[1], m[1] * n[0] + m[3] * n[1], m[0] * n[2] + m[2] * n[3], m[1] * n[2] + m[3] * n[3], m[0] * n[4] + m[2] * n[5] + m[4], m[1] * n[4] + m[3] * n[5] + m[5]];
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

function parseTransform(t: string | undefined): Matrix {
  if (!t) return IDENTITY;
  let m = IDENTITY;
  for (const [, fn, args] of t.matchAll(/(\w+)\(([^)]*)\)/g)) {
    const a = (args ?? '').split(/[\s,]+/).filter(Boolean).map(Number);
    if (fn === 'matrix' && a.length === 6) m = multiply(m, a as Matrix);
    else if (fn === 'translate') m = multiply(m, [1, 0, 0, 1, a[0] ?? 0, a[1] ?? 0]);
    else if (fn === 'scale') m = multiply(m, [a[0] ?? 1, 0, 0, a[1] ?? a[0] ?? 1, 0, 0]);
    else if (fn === 'rotate') {
      const r = ((a[0] ?? 0) * Math.PI) / 180;
      m = multiply(m, [Math.cos(r), Math.sin(r), -Math.sin(r), Math.cos(r), 0, 0]);
    }
  }
  return m;
}

function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [, k, v] of tag.matchAll(/([\w:-]+)="([^"]*)"/g)) out.set(k as string, v as string);
  const style = out.get('style');
  if (style) for (const decl of style.split(';')) {
    const i = decl.indexOf(':');
    if (i > 0) out.set(decl.slice(0, i).trim(), decl.slice(i + 1).trim());
  }
  return out;
}

function colour(v: string | undefined): [number, number, number] | null {
  if (!v || v === 'none' || v === 'transparent') return null;
  if (/^#[0-9a-f]{3}$/i.test(v)) return [0, 1, 2].map((i) => parseInt((v[i + 1] as string).repeat(2), 16)) as [number, number, number];
  if (/^#[0-9a-f]{6}$/i.test(v)) return [0, 1, 2].map((i) => parseInt(v.slice(1 + 2 * i, 3 + 2 * i), 16)) as [number, number, number];
  const rgb = /rgba?\(([^)]*)\)/.exec(v);
  if (rgb) {
    const p = (rgb[1] as string).split(',').map((s) => Number(s.trim()));
    return [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0];
  }
  return v === 'white' ? [255, 255, 255] : v === 'black' ? [0, 0, 0] : null;
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) =>
    e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'amp' ? '&' : e === 'quot' ? '"' : e === 'apos' ? "'" : String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)),
  );
}

type Segment = ['M', number, number] | ['L', number, number] | ['C', number, number, number, number, number, number] | ['Z'];

/** Endpoint arc to cubic Béziers (SVG implementation notes, F.6). */
function arcToCurves(x1: number, y1: number, rx: number, ry: number, phiDeg: number, large: boolean, sweep: boolean, x2: number, y2: number): Segment[] {
  if (rx === 0 || ry === 0) return [['L', x2, y2]];
  const phi = (phiDeg * Math.PI) / 180;
  const cos = Math.cos(phi);
  const sin = Math.sin(phi);
  const dx = (x1 - x2) / 2;
  const dy = (y1 - y2) / 2;
  const xp = cos * dx + sin * dy;
  const yp = -sin * dx + cos * dy;
  rx = Math.abs(rx);
  ry = Math.abs(ry);
  const lambda = (xp * xp) / (rx * rx) + (yp * yp) / (ry * ry);
  if (lambda > 1) {
    rx *= Math.sqrt(lambda);
    ry *= Math.sqrt(lambda);
  }
  const num = rx * rx * ry * ry - rx * rx * yp * yp - ry * ry * xp * xp;
  const den = rx * rx * yp * yp + ry * ry * xp * xp;
  const coef = (large === sweep ? -1 : 1) * Math.sqrt(Math.max(0, num / den));
  const cxp = (coef * rx * yp) / ry;
  const cyp = (-coef * ry * xp) / rx;
  const cx = cos * cxp - sin * cyp + (x1 + x2) / 2;
  const cy = sin * cxp + cos * cyp + (y1 + y2) / 2;
  const angle = (ux: number, uy: number, vx: number, vy: number) => Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy);
  const t1 = angle(1, 0, (xp - cxp) / rx, (yp - cyp) / ry);
  let dt = angle((xp - cxp) / rx, (yp - cyp) / ry, (-xp - cxp) / rx, (-yp - cyp) / ry);
  if (!sweep && dt > 0) dt -= 2 * Math.PI;
  if (sweep && dt < 0) dt += 2 * Math.PI;
  const parts = Math.max(1, Math.ceil(Math.abs(dt) / (Math.PI / 2)));
  const step = dt / parts;
  const k = (4 / 3) * Math.tan(step / 4);
  const point = (t: number): [number, number] => [cx + rx * Math.cos(t) * cos - ry * Math.sin(t) * sin, cy + rx * Math.cos(t) * sin + ry * Math.sin(t) * cos];
  const deriv = (t: number): [number, number] => [-rx * Math.sin(t) * cos - ry * Math.cos(t) * sin, -rx * Math.sin(t) * sin + ry * Math.cos(t) * cos];
  const out: Segment[] = [];
  for (let i = 0; i < parts; i++) {
    const a = t1 + i * step;
    const b = a + step;
    const [ax, ay] = point(a);
    const [bx, by] = point(b);
    const [dax, day] = deriv(a);
    const [dbx, dby] = deriv(b);
    out.push(['C', ax + k * dax, ay + k * day, bx - k * dbx, by - k * dby, bx, by]);
  }
  return out;
}

/** Path data to absolute segments. */
export function parsePath(d: string): Segment[] {
  const tokens = d.match(/[MmLlHhVvCcSsQqTtAaZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g) ?? [];
  const out: Segment[] = [];
  let i = 0;
  let cmd = '';
  let x = 0;
  let y = 0;
  let sx = 0;
  let sy = 0;
  const num = () => Number(tokens[i++]);
  while (i < tokens.length) {
    if (/[A-Za-z]/.test(tokens[i] as string)) cmd = tokens[i++] as string;
    const rel = cmd === cmd.toLowerCase();
    const ox = rel ? x : 0;
    const oy = rel ? y : 0;
    switch (cmd.toUpperCase()) {
      case 'M':
        x = ox + num();
        y = oy + num();
        sx = x;
        sy = y;
        out.push(['M', x, y]);
        cmd = rel ? 'l' : 'L';
        break;
      case 'L':
        x = ox + num();
        y = oy + num();
        out.push(['L', x, y]);
        break;
      case 'H':
        x = ox + num();
        out.push(['L', x, y]);
        break;
      case 'V':
        y = oy + num();
        out.push(['L', x, y]);
        break;
      case 'C': {
        const s: Segment = ['C', ox + num(), oy + num(), ox + num(), oy + num(), ox + num(), oy + num()];
        x = s[5];
        y = s[6];
        out.push(s);
        break;
      }
      case 'Q': {
        const qx = ox + num();
        const qy = oy + num();
        const ex = ox + num();
        const ey = oy + num();
        out.push(['C', x + (2 / 3) * (qx - x), y + (2 / 3) * (qy - y), ex + (2 / 3) * (qx - ex), ey + (2 / 3) * (qy - ey), ex, ey]);
        x = ex;
        y = ey;
        break;
      }
      case 'A': {
        const rx = num();
        const ry = num();
        const rot = num();
        const large = num() !== 0;
        const sweep = num() !== 0;
        const ex = ox + num();
        const ey = oy + num();
        out.push(...arcToCurves(x, y, rx, ry, rot, large, sweep, ex, ey));
        x = ex;
        y = ey;
        break;
      }
      case 'Z':
        out.push(['Z']);
        x = sx;
        y = sy;
        break;
      default:
        i += 1; // S, T and anything else echarts does not emit: skip the token
    }
  }
  return out;
}

export interface PdfFonts {
  regular: [string, string];
  bold: [string, string];
}

/** Draws `svg` into the box (x, y, width) of the page, keeping its aspect ratio. */
export function drawSvg(doc: jsPDF, svg: string, x: number, y: number, width: number, fonts: PdfFonts): void {
  const root = /<svg[^>]*>/.exec(svg)?.[0] ?? '';
  const vb = attributes(root).get('viewBox')?.split(/[\s,]+/).map(Number);
  const svgWidth = vb?.[2] ?? Number(attributes(root).get('width') ?? width);
  const scale = width / svgWidth;
  const stack: Matrix[] = [[scale, 0, 0, scale, x, y]];
  const body = svg.replace(/<(defs|style|clipPath)\b[\s\S]*?<\/\1>/g, '');
  for (const [tag, name, text] of body.matchAll(/<(\/?g|path|rect|text)\b[^>]*?>(?:([^<]*)<\/text>)?/g)) {
    const top = stack[stack.length - 1] as Matrix;
    if (name === '/g') {
      if (stack.length > 1) stack.pop();
      continue;
    }
    const a = attributes(tag);
    const m = multiply(top, parseTransform(a.get('transform')));
    if (name === 'g') {
      if (!tag.endsWith('/>')) stack.push(m);
      continue;
    }
    const fill = colour(a.get('fill') ?? (name === 'path' || name === 'rect' ? '#000' : undefined));
    const stroke = colour(a.get('stroke'));
    const opacity = Number(a.get('fill-opacity') ?? a.get('opacity') ?? 1);
    if (opacity <= 0.001) continue;
    if (name === 'text') {
      drawText(doc, unescapeXml(text ?? ''), a, m, fill, fonts);
      continue;
    }
    let segments: Segment[];
    if (name === 'rect') {
      const rx = Number(a.get('x') ?? 0);
      const ry = Number(a.get('y') ?? 0);
      const w = Number(a.get('width') ?? 0);
      const h = Number(a.get('height') ?? 0);
      if (w === 0 || h === 0) continue;
      segments = [['M', rx, ry], ['L', rx + w, ry], ['L', rx + w, ry + h], ['L', rx, ry + h], ['Z']];
    } else segments = parsePath(a.get('d') ?? '');
    if (segments.length === 0 || (!fill && !stroke)) continue;
    if (opacity < 1) doc.setGState(new GState({ opacity, 'stroke-opacity': opacity }));
    if (fill) doc.setFillColor(...fill);
    if (stroke) {
      doc.setDrawColor(...stroke);
      doc.setLineWidth(Number(a.get('stroke-width') ?? 1) * Math.sqrt(Math.abs(m[0] * m[3] - m[1] * m[2])));
      doc.setLineCap(a.get('stroke-linecap') === 'round' ? 'round' : 'butt');
      doc.setLineJoin(a.get('stroke-linejoin') === 'round' ? 'round' : 'miter');
    }
    for (const s of segments) {
      if (s[0] === 'M') doc.moveTo(...apply(m, s[1], s[2]));
      else if (s[0] === 'L') doc.lineTo(...apply(m, s[1], s[2]));
      else if (s[0] === 'C') doc.curveTo(...apply(m, s[1], s[2]), ...apply(m, s[3], s[4]), ...apply(m, s[5], s[6]));
      else doc.close();
    }
    if (fill && stroke) doc.fillStroke();
    else if (fill) doc.fill();
    else doc.stroke();
    if (opacity < 1) doc.setGState(new GState({ opacity: 1, 'stroke-opacity': 1 }));
  }
}

function drawText(doc: jsPDF, text: string, a: Map<string, string>, m: Matrix, fill: [number, number, number] | null, fonts: PdfFonts): void {
  if (!text.trim()) return;
  const size = parseFloat(a.get('font-size') ?? '12');
  const bold = /bold|[6-9]00/.test(a.get('font-weight') ?? '');
  doc.setFont(...(bold ? fonts.bold : fonts.regular));
  const scale = Math.sqrt(Math.abs(m[0] * m[3] - m[1] * m[2]));
  doc.setFontSize(size * scale);
  doc.setTextColor(...(fill ?? [0, 0, 0]));
  const width = doc.getTextWidth(text) / scale;
  const anchor = a.get('text-anchor');
  const lx = Number(a.get('x') ?? 0) - (anchor === 'end' ? width : anchor === 'middle' ? width / 2 : 0);
  const baseline = a.get('dominant-baseline');
  const ly = Number(a.get('y') ?? 0) + (baseline === 'central' || baseline === 'middle' ? size * 0.35 : baseline === 'hanging' ? size * 0.8 : 0);
  const [px, py] = apply(m, lx, ly);
  const angle = (-Math.atan2(m[1], m[0]) * 180) / Math.PI;
  doc.text(text, px, py, Math.abs(angle) > 0.01 ? { angle } : undefined);
}

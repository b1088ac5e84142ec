import { describe, expect, it } from 'vitest';
import { csvField, csvLine } from '../../src/shared/csv';

describe('CSV (RFC 4180)', () => {
  it('quotes fields with commas, quotes and line breaks, and ends lines with CRLF', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines'])).toBe('a,"b,c","say ""hi""","two\nlines"\r\n');
  });

  it('prefixes text that a spreadsheet would evaluate, but never numbers', () => {
    for (const t of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', '\rx']) expect(csvField(t).startsWith("'") || csvField(t).startsWith("\"'")).toBe(true);
    expect(csvField(-12.5)).toBe('-12.5');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('=1+1', true)).toBe('=1+1');
    expect(csvField(null)).toBe('');
  });
});

/**
 * Two of jsPDF's hot spots replaced in the main process, where Node is at hand:
 * - stream compression: jsPDF deflates with fflate in JavaScript and rebuilds the result one
 *   character at a time; Node's native zlib gives the same FlateDecode streams several times
 *   faster;
 * - its Arabic shaping pass runs over every string drawn; it now runs only on strings that hold
 *   Arabic letters, so those still print shaped.
 * Both go through jsPDF's public plugin API (jsPDF.API), so an upgrade that changes it fails
 * loudly in the PDF tests rather than silently.
 */
import zlib from 'node:zlib';
import { jsPDF } from 'jspdf';

type FilterResult = { data: string; reverseChain: string };
interface TunableApi {
  processDataByFilters?: (data: string, chain: string | string[]) => FilterResult;
  processArabic?: (arg: unknown) => unknown;
  events: Array<[string, (arg: unknown) => unknown]>;
}

const ARABIC = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;
let tuned = false;

function holdsArabic(arg: unknown): boolean {
  const text = typeof arg === 'string' ? arg : (arg as { text?: unknown }).text;
  if (typeof text === 'string') return ARABIC.test(text);
  return Array.isArray(text) && text.some((t) => ARABIC.test(Array.isArray(t) ? String(t[0]) : String(t)));
}

export function tuneJsPdf(): void {
  if (tuned) return;
  tuned = true;
  const api = jsPDF.API as unknown as TunableApi;
  const original = api.processDataByFilters;
  if (original) {
    api.processDataByFilters = (data, chain) => {
      const filters = typeof chain === 'string' ? [chain] : chain ?? [];
      if (filters.length === 1 && (filters[0] === 'FlateEncode' || filters[0] === '/FlateEncode')) {
        return { data: zlib.deflateSync(Buffer.from(data, 'latin1')).toString('latin1'), reverseChain: '/FlateDecode' };
      }
      return original(data, chain);
    };
  }
  const arabic = api.processArabic;
  const entry = api.events.find(([name, fn]) => name === 'preProcessText' && fn === arabic);
  if (entry && arabic) entry[1] = (arg) => (holdsArabic(arg) ? arabic(arg) : arg);
}

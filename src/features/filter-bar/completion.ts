/** Completion of display-filter words: field ids and protocols (with their descriptions), and language words. */
import type { Completion } from '../../widgets/completion-list/CompletionList';

export interface CatalogEntry {
  id: string;
  name: string;
  type: string;
  description?: string;
}

const WORD = /[A-Za-z0-9_.\-]/;

/** The filter word around the caret: [start, end). */
export function wordAt(text: string, caret: number): { start: number; end: number; word: string } {
  let start = caret;
  while (start > 0 && WORD.test(text[start - 1])) start--;
  let end = caret;
  while (end < text.length && WORD.test(text[end])) end++;
  return { start, end, word: text.slice(start, caret) };
}

function insideString(text: string, caret: number): boolean {
  let quoted = false;
  for (let i = 0; i < caret; i++) {
    if (text[i] === '\\' && quoted) i++;
    else if (text[i] === '"') quoted = !quoted;
  }
  return quoted;
}

/** Suggestions for the word at the caret: protocols first, then fields, shortest ids first. */
export function completionsFor(
  text: string,
  caret: number,
  catalog: readonly CatalogEntry[],
  words: readonly { word: string; description: string }[] = [],
  limit = 40,
): { start: number; end: number; items: Completion[] } {
  const at = wordAt(text, caret);
  const none = { start: at.start, end: at.end, items: [] };
  const w = at.word.toLowerCase();
  if (!w || /^[0-9]/.test(w) || insideString(text, caret)) return none;
  const scored: { c: Completion; rank: number }[] = [];
  for (const e of catalog) {
    const id = e.id.toLowerCase();
    if (!id.startsWith(w)) continue;
    const isProto = e.type === 'protocol';
    // Without a dot yet, offer protocols and the next level of fields; after a dot, every field below.
    if (!w.includes('.') && !isProto && id.indexOf('.', w.length) >= 0 && id.split('.').length > 2) continue;
    scored.push({ c: { value: e.id, detail: e.name, kind: isProto ? 'protocol' : e.type }, rank: (isProto ? 0 : 1e6) + e.id.length * 1000 });
  }
  for (const x of words) {
    if (x.word.toLowerCase().startsWith(w)) scored.push({ c: { value: x.word, detail: x.description, kind: 'keyword' }, rank: 2e6 + x.word.length * 1000 });
  }
  scored.sort((a, b) => a.rank - b.rank || a.c.value.localeCompare(b.c.value));
  const items = scored.slice(0, limit).map((s) => s.c);
  if (items.length === 1 && items[0].value.toLowerCase() === w) return none;
  return { start: at.start, end: at.end, items };
}

/** The text with [start, end) replaced by `value`, and the caret after it. */
export function acceptCompletion(text: string, start: number, end: number, value: string): { text: string; caret: number } {
  return { text: text.slice(0, start) + value + text.slice(end), caret: start + value.length };
}

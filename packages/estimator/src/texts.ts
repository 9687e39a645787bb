// Texts an estimate writes into answer after answer, built once.

/**
 * A text that follows from a catalog record (`owner`: a default, a framework table) and a few inputs
 * (`key`, which must name every input the text uses besides the record) — built the first time and
 * handed out as the same string after that. The catalogs are immutable for the life of the process, so
 * the text cannot go stale; each owner keeps at most MAX_TEXTS_PER_OWNER texts (then starts again).
 *
 * No answer changes. An estimate allocates less, and a writer that keeps the escaped bytes of the
 * strings it wrote (the service's ASCII JSON writer) finds the same string object at once, where a
 * string built afresh has to be compared character by character.
 */
export function memoText(owner: object, key: string, build: () => string): string {
  let texts = textsByOwner.get(owner);
  if (texts === undefined) textsByOwner.set(owner, (texts = new Map()));
  let text = texts.get(key);
  if (text === undefined) {
    if (texts.size >= MAX_TEXTS_PER_OWNER) texts.clear();
    texts.set(key, (text = build()));
  }
  return text;
}

const MAX_TEXTS_PER_OWNER = 256;
const textsByOwner = new WeakMap<object, Map<string, string>>();

const citations = new WeakMap<object, string>();

/** A catalog figure's citation, `source [date]` (its source alone without a date), one string per record. */
export function citation(record: { readonly source: string; readonly date?: string | null }): string {
  if (!record.date) return record.source;
  let text = citations.get(record);
  if (text === undefined) citations.set(record, (text = `${record.source} [${record.date}]`));
  return text;
}

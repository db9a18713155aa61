/** Alias names as the key console takes them (kms-semantics.md §3.4). */

/** `orders` → `alias/orders`; a name already starting with `alias/` is kept; '' stays ''. */
export function normalizeAlias(text: string): string {
  const t = text.trim();
  if (t === '') return '';
  return t.startsWith('alias/') ? t : `alias/${t}`;
}

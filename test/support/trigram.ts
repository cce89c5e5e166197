/**
 * pg_trgm's `similarity()` for the text a name key consists of (lower-case letters and single spaces):
 * each word padded with two spaces before and one after, its set of three-letter substrings, and
 * shared / all trigrams of both sides. Lets unit tests measure duplicate detection without a
 * database; `client-records.e2e-spec.ts` checks that it agrees with PostgreSQL.
 */
export function trigrams(text: string): Set<string> {
  const result = new Set<string>();
  for (const word of text.split(/[^a-z0-9]+/).filter((part) => part.length > 0)) {
    const padded = `  ${word} `;
    for (let index = 0; index + 3 <= padded.length; index += 1) {
      result.add(padded.slice(index, index + 3));
    }
  }
  return result;
}

export function similarity(left: string, right: string): number {
  const a = trigrams(left);
  const b = trigrams(right);
  if (a.size === 0 && b.size === 0) {
    return 0;
  }
  let shared = 0;
  for (const trigram of a) {
    if (b.has(trigram)) {
      shared += 1;
    }
  }
  return shared / (a.size + b.size - shared);
}

/**
 * What must never be in a response body: stack traces, source paths, SQL, PostgreSQL or driver
 * messages. `findLeak` names the first kind found, ignoring text the request itself sent (a body
 * that echoes a submitted value is not a leak).
 */
const LEAKS: [RegExp, string][] = [
  [/\n\s+at [^\n]+:\d+:\d+/, 'stack trace'],
  [/\bat (?:async )?[\w$.<>]+ \((?:\/|node:|file:)[^)]*\)/, 'stack frame'],
  [/node_modules[\\/]/, 'module path'],
  [/[\\/](?:dist[\\/])?src[\\/][\w/.-]+\.(?:ts|js)\b/, 'source path'],
  [
    /\b(?:QueryFailedError|TypeORMError|EntityNotFoundError|EntityPropertyNotFoundError|DatabaseError|TypeError|ReferenceError|RangeError)\b/,
    'error class',
  ],
  [/\b(?:SELECT|INSERT INTO|DELETE FROM)\b[\s\S]{0,200}?\b(?:FROM|VALUES|WHERE|RETURNING)\b/, 'SQL'],
  [/\bUPDATE\s+"?\w+"?\s+SET\b/, 'SQL'],
  [
    /duplicate key value|violates (?:foreign key|not-null|check|unique|exclusion) constraint|syntax error at or near|relation "[^"]+" does not exist|column "[^"]+" (?:of relation "[^"]+" )?does not exist|invalid input syntax for type|current transaction is aborted|value too long for type|out of range for type|null value in column/,
    'PostgreSQL message',
  ],
  [
    /\b(?:ECONNREFUSED|ECONNRESET|pg-protocol|Connection terminated|connectionTimeoutMillis|timeout exceeded when trying to connect)\b/,
    'driver message',
  ],
  [
    /Unexpected token .* in JSON at position|Unexpected end of JSON input|is not valid JSON/,
    'parser message',
  ],
];

export function findLeak(text: string, sent = ''): string | undefined {
  for (const [pattern, kind] of LEAKS) {
    const match = pattern.exec(text);
    if (match && !sent.includes(match[0])) {
      return `${kind}: ${JSON.stringify(match[0].slice(0, 80))}`;
    }
  }
  return undefined;
}

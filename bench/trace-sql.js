'use strict';
/**
 * Preload (`node -r ./bench/trace-sql.js …`) that records every statement a process sends through
 * `pg` — its text (or prepared-statement name) — one JSON line each in TRACE_SQL_FILE. The benchmark
 * uses it in a short separate pass to read the API's actual SQL per request and to count statements
 * per request for the API and the ceiling alike; measured runs never load it.
 */
const { appendFileSync } = require('node:fs');
const pg = require('pg');

const file = process.env.TRACE_SQL_FILE;
if (file) {
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function tracedQuery(config, values, callback) {
    const text = typeof config === 'string' ? config : config && (config.text || config.name);
    const name = config && typeof config === 'object' ? config.name : undefined;
    const parameters = Array.isArray(values)
      ? values
      : config && typeof config === 'object'
        ? config.values
        : undefined;
    if (text) {
      const line = { name, text: String(text).replace(/\s+/g, ' ').trim(), values: parameters };
      appendFileSync(file, `${JSON.stringify(line).slice(0, 8000)}\n`);
    }
    return original.call(this, config, values, callback);
  };
}

#!/usr/bin/env node
// npm run migration:generate -- <Name>: writes migrations/<timestamp>-<Name>.ts from the difference
// between the entities and the migrated database, then formats it like the rest of the code.
const { spawnSync } = require('node:child_process');
const { readdirSync } = require('node:fs');

const name = process.argv[2];
if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
  console.error('Usage: npm run migration:generate -- <Name>   (PascalCase, e.g. AddClients)');
  process.exit(2);
}
const typeorm = ['typeorm-ts-node-commonjs', '-d', 'src/database/cli-data-source.ts'];
const run = (command, args) => spawnSync(command, args, { stdio: 'inherit' }).status ?? 1;

const before = new Set(readdirSync('migrations'));
let status = run('npx', [...typeorm, 'migration:run']);
if (status === 0) {
  status = run('npx', [...typeorm, 'migration:generate', `migrations/${name}`, '--pretty']);
}
const created = readdirSync('migrations').filter((file) => !before.has(file));
if (created.length > 0) {
  run('npx', ['prettier', '--write', ...created.map((file) => `migrations/${file}`)]);
}
process.exit(status);

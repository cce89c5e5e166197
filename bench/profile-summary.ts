import { readdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/**
 * `npx ts-node --transpile-only bench/profile-summary.ts [file.cpuprofile]`: where the API's CPU went
 * in a profile of `npm run bench -- --profile` (the newest in bench/tmp/profiles/ by default) — self
 * time per package (or our own source file) and per function, idle and GC apart.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function owner(url: string): string {
  if (!url) {
    return '(native)';
  }
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch) {
    return packageMatch[1];
  }
  if (url.startsWith('node:')) {
    return 'node:*';
  }
  const own = /\/dist\/(.+)$/.exec(url);
  return own ? own[1] : url;
}

async function newestProfile(): Promise<string> {
  const directory = resolve(__dirname, 'tmp/profiles');
  const files = (await readdir(directory)).filter((file) => file.endsWith('.cpuprofile')).sort();
  if (files.length === 0) {
    throw new Error(`no .cpuprofile in ${directory}: run npm run bench -- --profile first`);
  }
  return resolve(directory, files[files.length - 1]);
}

function top(totals: Map<string, number>, all: number, count: number): string[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(
      ([name, micros]) =>
        `${((micros / all) * 100).toFixed(1).padStart(5)} %  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}`,
    );
}

async function main(): Promise<void> {
  const file = process.argv[2] ?? (await newestProfile());
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) =>
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)),
  );

  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const [id, micros] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') {
      idle += micros;
      continue;
    }
    busy += micros;
    const name = functionName === '(garbage collector)' ? '(garbage collector)' : owner(url);
    packages.set(name, (packages.get(name) ?? 0) + micros);
    const where = `${functionName || '(anonymous)'}  ${owner(url)}:${lineNumber + 1}`;
    functions.set(where, (functions.get(where) ?? 0) + micros);
  }
  console.log(`${file}\nbusy ${(busy / 1000).toFixed(0)} ms, idle/program ${(idle / 1000).toFixed(0)} ms\n`);
  console.log('Self time by package or own file:');
  console.log(top(packages, busy, 25).join('\n'));
  console.log('\nSelf time by function:');
  console.log(top(functions, busy, 40).join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

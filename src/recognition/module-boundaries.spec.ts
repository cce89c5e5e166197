import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { ClientsModule } from '../clients/clients.module';
import { OrganisationModule } from '../organisation/organisation.module';
import { PartnersModule } from '../partners/partners.module';
import { RecognitionModule } from './recognition.module';

/** Tables the recognition module does not own: it reaches them through their modules' services. */
const FOREIGN_TABLES = ['client_qualifications', 'partners', 'offices', 'clients'];

describe('recognition module boundaries', () => {
  const sources = readdirSync(__dirname)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
    .map((file) => ({ file, text: readFileSync(join(__dirname, file), 'utf8') }));

  it.each(FOREIGN_TABLES)('no SQL of the recognition module reads %s', (table) => {
    // A table name in SQL stands after FROM, JOIN, UPDATE or INTO.
    const pattern = new RegExp(`\\b(FROM|JOIN|UPDATE|INTO)\\s+"?${table}"?\\b`, 'i');
    expect(sources.filter(({ text }) => pattern.test(text)).map(({ file }) => file)).toEqual([]);
  });

  it('imports the modules whose services it uses, so the dependency shows in the module graph', () => {
    const imports = Reflect.getMetadata(MODULE_METADATA.IMPORTS, RecognitionModule) as unknown[];
    expect(imports).toEqual(expect.arrayContaining([ClientsModule, PartnersModule, OrganisationModule]));
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { ClientsModule } from '../clients/clients.module';
import { PartnersModule } from '../partners/partners.module';
import { RecognitionModule } from '../recognition/recognition.module';
import { ReferralsModule } from './referrals.module';

/**
 * Tables the referrals module does not own: it reaches them through their modules' services. Partners
 * and offices are only joined for their names in the referral lists.
 */
const FOREIGN_TABLES = ['clients', 'consents', 'client_qualifications', 'consultations', 'recognition_cases'];

describe('referrals module boundaries', () => {
  const sources = readdirSync(__dirname)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
    .map((file) => ({ file, text: readFileSync(join(__dirname, file), 'utf8') }));

  it.each(FOREIGN_TABLES)('no SQL of the referrals module reads %s', (table) => {
    const pattern = new RegExp(`\\b(FROM|JOIN|UPDATE|INTO)\\s+"?${table}"?\\b`, 'i');
    expect(sources.filter(({ text }) => pattern.test(text)).map(({ file }) => file)).toEqual([]);
  });

  it('imports the modules whose services it uses', () => {
    const imports = Reflect.getMetadata(MODULE_METADATA.IMPORTS, ReferralsModule) as unknown[];
    expect(imports).toEqual(expect.arrayContaining([ClientsModule, PartnersModule, RecognitionModule]));
  });
});

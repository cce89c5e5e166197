import { TransactionHost, Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { ClsServiceManager } from 'nestjs-cls';
import type { DataSource } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { AuditService } from '../audit/audit.service';
import { Db } from '../common/database/db';
import type { RowOf } from '../common/database/table';
import {
  SKIP_REASONS,
  type ImportedTitle,
  type ParsedOccupationFile,
  type SkipReason,
} from './occupation-import';
import type { ReferenceOccupationEntity } from './reference-occupation.entity';

/** `source` of the rows this import writes; curated rows (`CURATED`) are never changed by it. */
export const BA_IMPORT = 'BA_IMPORT';

const BATCH_SIZE = 250;

export interface OccupationImportSummary {
  dryRun: boolean;
  rowsRead: number;
  /** 5-digit codes in the file, each counted once. */
  berufsgattungen: number;
  /** New codes (would be) inserted: `regulated = false`, `source = BA_IMPORT`. */
  inserted: number;
  /** Rows of an earlier import whose title (would have) changed. */
  updated: number;
  /** Rows of an earlier import with the same title. */
  unchanged: number;
  /** Curated rows: their titles and `regulated` flags are kept. */
  curatedKept: number;
  skipped: Record<SkipReason, number>;
}

export interface ImportOptions {
  dryRun: boolean;
  /** Called as the codes are compared and written: `done` of `total`. */
  onProgress?: (done: number, total: number) => void;
}

type ExistingRow = Pick<RowOf<ReferenceOccupationEntity>, 'kldb' | 'titleDe' | 'source'>;

/**
 * Upserts the occupations of a parsed file in one transaction: new codes are inserted; rows of an earlier
 * import get the new title; curated rows are left alone. With `dryRun`, nothing is written and the
 * summary tells what would change. A real run records one `reference-occupation.import` audit event.
 */
@Injectable()
export class OccupationImporter {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  @Transactional()
  async import(file: ParsedOccupationFile, options: ImportOptions): Promise<OccupationImportSummary> {
    const total = file.occupations.length;
    const progress = (done: number) => options.onProgress?.(done, total);
    progress(0);
    if (!options.dryRun) {
      // One import at a time; the API goes on reading meanwhile.
      await this.db.run('LOCK TABLE reference_occupations IN SHARE ROW EXCLUSIVE MODE');
    }
    const existing = await this.existingRows(file.occupations);
    const inserts: ImportedTitle[] = [];
    const updates: ImportedTitle[] = [];
    let unchanged = 0;
    let curatedKept = 0;
    for (const occupation of file.occupations) {
      const row = existing.get(occupation.kldb);
      if (!row) {
        inserts.push(occupation);
      } else if (row.source !== BA_IMPORT) {
        curatedKept += 1;
      } else if (row.titleDe !== occupation.titleDe) {
        updates.push(occupation);
      } else {
        unchanged += 1;
      }
    }
    let done = unchanged + curatedKept;
    progress(done);
    if (!options.dryRun) {
      for (const batch of batches(inserts)) {
        await this.db.run(
          `INSERT INTO reference_occupations (kldb, title_de, title_en, regulated, source)
           SELECT code, title, NULL, false, $3 FROM unnest($1::text[], $2::text[]) AS file (code, title)`,
          [batch.map((row) => row.kldb), batch.map((row) => row.titleDe), BA_IMPORT],
        );
        done += batch.length;
        progress(done);
      }
      for (const batch of batches(updates)) {
        await this.db.run(
          `UPDATE reference_occupations SET title_de = file.title, updated_at = now()
             FROM unnest($1::text[], $2::text[]) AS file (code, title)
            WHERE kldb = file.code AND source = $3`,
          [batch.map((row) => row.kldb), batch.map((row) => row.titleDe), BA_IMPORT],
        );
        done += batch.length;
        progress(done);
      }
      await this.audit.record({
        actor: 'system',
        action: 'reference-occupation.import',
        resourceType: 'reference-occupation',
      });
    }
    progress(total);
    return {
      dryRun: options.dryRun,
      rowsRead: file.rowsRead,
      berufsgattungen: total,
      inserted: inserts.length,
      updated: updates.length,
      unchanged,
      curatedKept,
      skipped: { ...file.skipped },
    };
  }

  private async existingRows(occupations: ImportedTitle[]): Promise<Map<string, ExistingRow>> {
    const rows = await this.db.rows<ExistingRow>(
      `SELECT kldb, title_de AS "titleDe", source FROM reference_occupations WHERE kldb = ANY($1::text[])`,
      [occupations.map((occupation) => occupation.kldb)],
    );
    return new Map(rows.map((row) => [row.kldb, row]));
  }
}

/**
 * The import on the data source of a running Nest application (its transaction context): for a
 * caller that holds the `DataSource` rather than the application (the e2e test). The command uses
 * `OccupationImporter` from its application context.
 */
export function importOccupations(
  dataSource: DataSource,
  file: ParsedOccupationFile,
  options: ImportOptions,
): Promise<OccupationImportSummary> {
  const db = new Db(TransactionHost.getInstance(), dataSource);
  return new OccupationImporter(
    db,
    new AuditService(new AuditRepository(db), db, ClsServiceManager.getClsService()),
  ).import(file, options);
}

function batches<T>(items: T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += BATCH_SIZE) {
    result.push(items.slice(start, start + BATCH_SIZE));
  }
  return result;
}

/** The summary for the operator, one count per line. */
export function formatSummary(summary: OccupationImportSummary): string {
  const would = summary.dryRun ? 'would be ' : '';
  const skipped = (Object.keys(summary.skipped) as SkipReason[])
    .filter((reason) => summary.skipped[reason] > 0)
    .map((reason) => `    ${String(summary.skipped[reason]).padStart(6)}  ${SKIP_REASONS[reason]}`);
  const skippedTotal = Object.values(summary.skipped).reduce((sum, count) => sum + count, 0);
  return [
    summary.dryRun ? 'Dry run: nothing was changed.' : 'Import finished.',
    `  ${String(summary.rowsRead).padStart(6)}  rows read`,
    `  ${String(summary.berufsgattungen).padStart(6)}  occupations (5-digit codes)`,
    `  ${String(summary.inserted).padStart(6)}  new, ${would}imported`,
    `  ${String(summary.updated).padStart(6)}  ${would}updated (title of an earlier import changed)`,
    `  ${String(summary.unchanged).padStart(6)}  unchanged`,
    `  ${String(summary.curatedKept).padStart(6)}  curated, kept as they are`,
    `  ${String(skippedTotal).padStart(6)}  rows skipped${skipped.length > 0 ? ':' : ''}`,
    ...skipped,
  ].join('\n');
}

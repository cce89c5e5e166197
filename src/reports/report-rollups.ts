import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/time/clock';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import { EU_EEA_CH } from '../reference-data/countries';
import { ReportRollupsRepository, type RebuildOutcome, type RollupState } from './report-rollups.repository';

/** The EU member states: a participant with none of these nationalities is a third-country national (ESF+). */
export const EU_MEMBER_STATES: readonly string[] = [...EU_EEA_CH]
  .filter((code) => !['IS', 'LI', 'NO', 'CH'].includes(code))
  .sort();

/**
 * The rollups every report reads. `refresh()` rebuilds them from the case data: the `reports.refresh`
 * job does so on REPORTS_REFRESH_CRON, `npm run reports:refresh` on demand (after a seed or an import),
 * and a report asked for before the first rebuild triggers one.
 */
@Injectable()
export class ReportRollups {
  private readonly logger = new Logger(ReportRollups.name);

  /** The first rebuild this process started for a report, shared by the reports asked for meanwhile. */
  private firstBuild?: Promise<RollupState | undefined>;

  constructor(
    private readonly repository: ReportRollupsRepository,
    @InjectConfig() private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Rebuilds the rollups. Answers the state after the rebuild; when another process is rebuilding at
   * the same moment, waits for nothing and answers the state as it is.
   */
  async refresh(onStep?: (table: string, rows: number) => void): Promise<RollupState | undefined> {
    return this.reported(await this.rebuild({ onStep }));
  }

  /**
   * The scheduled rebuild: skipped while no source table has changed since the last one (nights,
   * weekends) and the month whose stocks it holds is the same. The reports keep the last rebuild's
   * `dataAsOf`, which stays true: nothing has changed since.
   */
  async refreshIfChanged(): Promise<RollupState | undefined> {
    return this.reported(await this.rebuild({ skipUnchanged: true }));
  }

  private async reported(state: RebuildOutcome | undefined): Promise<RollupState | undefined> {
    if (state?.unchanged) {
      this.logger.log(`Report rollups unchanged since the rebuild of ${state.refreshedAt}: not rebuilt`);
      return state;
    }
    if (state) {
      this.logger.log(
        `Report rollups rebuilt: ${state.rowCount} rows in ${state.durationMs} ms, data as of ${state.refreshedAt}`,
      );
      return state;
    }
    this.logger.log('Report rollups are being rebuilt by another process');
    return this.repository.state();
  }

  /**
   * When the rollups were last rebuilt; builds them first if they never were, or waits for the first
   * build another request or process has started (a wait past the statement timeout answers 503).
   */
  async current(): Promise<RollupState> {
    const existing = await this.repository.state();
    if (existing) {
      return existing;
    }
    this.firstBuild ??= this.rebuild({ ifNeverBuilt: true }).finally(() => {
      this.firstBuild = undefined;
    });
    const state = await this.firstBuild;
    if (!state) {
      throw new Error('The first rebuild of the report rollups answered no state.');
    }
    return state;
  }

  private rebuild(options: {
    onStep?: (table: string, rows: number) => void;
    ifNeverBuilt?: boolean;
    skipUnchanged?: boolean;
  }): Promise<RebuildOutcome | undefined> {
    return this.repository.rebuild({
      euMemberStates: EU_MEMBER_STATES,
      timeZone: this.config.timeZone,
      today: this.clock.today(),
      ...options,
    });
  }
}

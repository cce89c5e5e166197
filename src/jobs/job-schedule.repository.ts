import { Injectable } from '@nestjs/common';
import { Db } from '../common/database/db';

@Injectable()
export class JobScheduleRepository {
  constructor(private readonly db: Db) {}

  /** True for the one caller whose insert of (job, tick) succeeded; everyone else sees the row and gets false. */
  async claimTick(jobName: string, tick: Date): Promise<boolean> {
    const rows = await this.db.rows(
      `INSERT INTO job_schedule_ticks (job_name, tick_at) VALUES ($1, $2)
       ON CONFLICT DO NOTHING RETURNING job_name`,
      [jobName, tick.toISOString()],
    );
    return rows.length === 1;
  }
}

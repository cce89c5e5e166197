import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { RetentionController } from './retention.controller';
import { RetentionJob } from './retention.job';
import { RetentionRepository } from './retention.repository';
import { RetentionService } from './retention.service';

/**
 * The retention rule: erases clients nobody has served for RETENTION_YEARS. Depends on clients (the
 * Art. 17 erasure, the activity sources); modules add activity and "still active" rules as a
 * `ClientActivitySource`, never here.
 */
@Module({
  imports: [ClientsModule],
  controllers: [RetentionController],
  providers: [RetentionRepository, RetentionService, RetentionJob],
})
export class RetentionModule {}

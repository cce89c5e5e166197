import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { ReferenceDataModule } from '../reference-data/reference-data.module';
import { RecognitionCaseActivity } from './recognition-case.activity';
import { RecognitionCaseClientData } from './recognition-case.client-data';
import { RecognitionCaseController } from './recognition-case.controller';
import { RecognitionCaseRepository } from './recognition-case.repository';
import { RecognitionCaseService } from './recognition-case.service';

/**
 * Recognition cases (Anerkennungsverfahren) with their state machine, deadlines and history. Depends
 * on clients (`ClientScope`; joins the export, erasure and timeline as a `ClientDataPart`) and on the
 * reference occupations; nothing depends on it yet.
 */
@Module({
  imports: [ClientsModule, ReferenceDataModule],
  controllers: [RecognitionCaseController],
  providers: [
    RecognitionCaseRepository,
    RecognitionCaseService,
    RecognitionCaseClientData,
    RecognitionCaseActivity,
  ],
  exports: [RecognitionCaseService],
})
export class RecognitionModule {}

import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ClientsModule } from '../clients/clients.module';
import { OrganisationModule } from '../organisation/organisation.module';
import { PartnersModule } from '../partners/partners.module';
import { ReferenceDataModule } from '../reference-data/reference-data.module';
import { CaseNextSteps } from './case-next-steps';
import { RecognitionCaseActivity } from './recognition-case.activity';
import { RecognitionCaseClientData } from './recognition-case.client-data';
import { RecognitionCaseController } from './recognition-case.controller';
import { RecognitionCaseRepository } from './recognition-case.repository';
import { RecognitionCaseService } from './recognition-case.service';

/**
 * Recognition cases (Anerkennungsverfahren) with their state machine, deadlines and history. Depends
 * on clients (`ClientScope`, the qualifications' countries through `QualificationService`; joins the
 * export, erasure and timeline as a `ClientDataPart`), on partners (the competent authority and its
 * Land, through `PartnerService`), on the organisation (the office's Land for the holidays) and on
 * the reference occupations. It reads no other module's tables; other modules offer steps on cases
 * (`nextSteps`) through `CaseNextStepSource`.
 */
@Module({
  imports: [DiscoveryModule, ClientsModule, PartnersModule, OrganisationModule, ReferenceDataModule],
  controllers: [RecognitionCaseController],
  providers: [
    RecognitionCaseRepository,
    RecognitionCaseService,
    RecognitionCaseClientData,
    RecognitionCaseActivity,
    CaseNextSteps,
  ],
  exports: [RecognitionCaseService],
})
export class RecognitionModule {}

import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { EnrolmentCaseSteps } from './enrolment-case-steps';
import { EnrolmentActivity } from './enrolment.activity';
import { EnrolmentClientData } from './enrolment.client-data';
import { EnrolmentController } from './enrolment.controller';
import { EnrolmentRepository } from './enrolment.repository';
import { EnrolmentService } from './enrolment.service';
import { QualificationOfferController } from './qualification-offer.controller';
import { QualificationOfferRepository } from './qualification-offer.repository';
import { QualificationOfferService } from './qualification-offer.service';
import { WaitingList } from './waiting-list';

/**
 * Adaptation qualifications (Anpassungsqualifizierung): the offer catalogue of the networks and the
 * enrolments of the offices' clients, with seats that are a database invariant and a FIFO waiting
 * list. Depends on clients (`ClientScope`; joins the export, erasure and timeline as a `ClientDataPart`,
 * the retention rule as a `ClientActivitySource`)
 * and offers recognition cases the step that a completed compensation measure allows (`CaseNextStepSource`).
 */
@Module({
  imports: [ClientsModule],
  controllers: [QualificationOfferController, EnrolmentController],
  providers: [
    QualificationOfferRepository,
    QualificationOfferService,
    EnrolmentRepository,
    EnrolmentService,
    EnrolmentClientData,
    EnrolmentCaseSteps,
    EnrolmentActivity,
    WaitingList,
  ],
})
export class QualificationModule {}

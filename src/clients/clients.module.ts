import { Module } from '@nestjs/common';
import { PartnersModule } from '../partners/partners.module';
import { DiscoveryModule } from '@nestjs/core';
import { ClientActivitySources } from './client-activity';
import { ClientRecordActivity } from './client.activity';
import { ClientDataParts } from './client-data-part';
import { ClientPrivacyController } from './client-privacy.controller';
import { ClientPrivacyService } from './client-privacy.service';
import { ClientSharingRepository } from './client-sharing.repository';
import { ClientSharingService } from './client-sharing.service';
import { ClientScope } from './client-scope.service';
import { ClientController } from './client.controller';
import { ClientRepository } from './client.repository';
import { ClientService } from './client.service';
import { ConsentClientData } from './consent.client-data';
import { ConsentController } from './consent.controller';
import { ConsentRepository } from './consent.repository';
import { ConsentWithdrawalListeners } from './consent-withdrawal';
import { ConsentService } from './consent.service';
import { ConsultationClientData } from './consultation.client-data';
import { ConsultationController } from './consultation.controller';
import { ConsultationRepository } from './consultation.repository';
import { ConsultationService } from './consultation.service';
import { QualificationClientData } from './qualification.client-data';
import { QualificationController } from './qualification.controller';
import { QualificationRepository } from './qualification.repository';
import { QualificationService } from './qualification.service';

/**
 * Clients with their qualifications, consents and consultations, and the data-subject rights
 * (access log, Art. 15/20 export, Art. 17 erasure, timeline). Later modules depend on this one
 * (`ClientScope` for access, `ClientDataPartProvider` to join export, erasure and timeline).
 */
@Module({
  imports: [DiscoveryModule, PartnersModule],
  controllers: [
    ClientController,
    ClientPrivacyController,
    QualificationController,
    ConsentController,
    ConsultationController,
  ],
  providers: [
    ClientRepository,
    ClientScope,
    ClientSharingRepository,
    ClientSharingService,
    ClientService,
    ClientDataParts,
    ClientActivitySources,
    ClientRecordActivity,
    ClientPrivacyService,
    QualificationRepository,
    QualificationService,
    QualificationClientData,
    ConsentRepository,
    ConsentService,
    ConsentWithdrawalListeners,
    ConsentClientData,
    ConsultationRepository,
    ConsultationService,
    ConsultationClientData,
  ],
  exports: [
    ClientScope,
    ClientSharingService,
    ClientService,
    ClientPrivacyService,
    ClientActivitySources,
    QualificationService,
  ],
})
export class ClientsModule {}

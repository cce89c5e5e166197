import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ClientDataParts } from './client-data-part';
import { ClientPrivacyController } from './client-privacy.controller';
import { ClientPrivacyService } from './client-privacy.service';
import { ClientScope } from './client-scope.service';
import { ClientController } from './client.controller';
import { ClientRepository } from './client.repository';
import { ClientService } from './client.service';

/**
 * Clients with their qualifications, consents and consultations, and the data-subject rights
 * (access log, Art. 15/20 export, Art. 17 erasure, timeline). Later modules depend on this one
 * (`ClientScope` for access, `ClientDataPartProvider` to join export, erasure and timeline).
 */
@Module({
  imports: [DiscoveryModule],
  controllers: [ClientController, ClientPrivacyController],
  providers: [ClientRepository, ClientScope, ClientService, ClientDataParts, ClientPrivacyService],
  exports: [ClientScope, ClientService],
})
export class ClientsModule {}

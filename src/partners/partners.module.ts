import { Module } from '@nestjs/common';
import { OrganisationModule } from '../organisation/organisation.module';
import { ApiClientController } from './api-client.controller';
import { ApiClientRepository } from './api-client.repository';
import { ApiClientService } from './api-client.service';
import { PartnerController } from './partner.controller';
import { PartnerRepository } from './partner.repository';
import { PartnerService } from './partner.service';

/** Cooperation partners and the API clients (machine credentials) of their systems. */
@Module({
  imports: [OrganisationModule],
  controllers: [PartnerController, ApiClientController],
  providers: [PartnerRepository, PartnerService, ApiClientRepository, ApiClientService],
  exports: [PartnerService, ApiClientService],
})
export class PartnersModule {}

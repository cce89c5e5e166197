import { Module } from '@nestjs/common';
import { ReferenceDataController } from './reference-data.controller';
import { ReferenceDataRepository } from './reference-data.repository';
import { ReferenceDataService } from './reference-data.service';

/**
 * Code lists with labels, countries and KldB reference occupations (`/reference-data/*`).
 * Other modules use `ReferenceDataService.findOccupation` to check a KldB code.
 */
@Module({
  controllers: [ReferenceDataController],
  providers: [ReferenceDataRepository, ReferenceDataService],
  exports: [ReferenceDataService],
})
export class ReferenceDataModule {}

import { Module } from '@nestjs/common';
import { OccupationImporter } from './occupation-importer';
import { ReferenceDataController } from './reference-data.controller';
import { ReferenceDataRepository } from './reference-data.repository';
import { ReferenceDataService } from './reference-data.service';

/**
 * Code lists with labels, countries and KldB reference occupations (`/reference-data/*`).
 * Other modules use `ReferenceDataService.findOccupation` to check a KldB code; the import command
 * uses `OccupationImporter`.
 */
@Module({
  controllers: [ReferenceDataController],
  providers: [ReferenceDataRepository, ReferenceDataService, OccupationImporter],
  exports: [ReferenceDataService, OccupationImporter],
})
export class ReferenceDataModule {}

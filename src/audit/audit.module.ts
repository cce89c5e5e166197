import { Global, Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { VersionedChanges } from './versioned-change';

/** Global: every feature module records audit events through AuditService and changes records through VersionedChanges. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditRepository, AuditService, VersionedChanges],
  exports: [AuditService, VersionedChanges],
})
export class AuditModule {}

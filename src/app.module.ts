import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import type { AppConfig } from './config/config';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ClientsModule } from './clients/clients.module';
import { CommonModule } from './common/common.module';
import { IdempotencyModule } from './common/idempotency/idempotency.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { MetricsModule } from './metrics/metrics.module';
import { OrganisationModule } from './organisation/organisation.module';
import { PartnersModule } from './partners/partners.module';
import { QualificationModule } from './qualification/qualification.module';
import { RecognitionModule } from './recognition/recognition.module';
import { ReferralsModule } from './referrals/referrals.module';
import { ReferenceDataModule } from './reference-data/reference-data.module';
import { ReportsModule } from './reports/reports.module';
import { RetentionModule } from './retention/retention.module';
import { WebhooksModule } from './partners/webhooks.module';

export interface AppModuleOptions {
  config: AppConfig;
  logger: PinoLogger;
  /** Extra modules, for tests that need probe routes. */
  imports?: ModuleMetadata['imports'];
}

@Module({})
export class AppModule {
  static forRoot({ config, logger, imports = [] }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          // Nest's logger writes through the process's pino logger, which adds the request id itself
          // (createRootLogger); no per-request middleware (pino-http) binds a child logger.
          pinoHttp: { logger, autoLogging: false },
          forRoutes: [],
        }),
        MetricsModule,
        DatabaseModule,
        CommonModule,
        AuditModule,
        JobsModule,
        AuthModule,
        IdempotencyModule,
        HealthModule,
        OrganisationModule,
        PartnersModule,
        WebhooksModule,
        ClientsModule,
        ReferenceDataModule,
        RecognitionModule,
        QualificationModule,
        ReferralsModule,
        RetentionModule,
        ReportsModule,
        ...imports,
      ],
    };
  }
}

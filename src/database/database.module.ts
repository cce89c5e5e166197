import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { dataSourceOptions } from './data-source-options';
import { prepareDatabase } from './database-roles';
import { MigrationsService } from './migrations.service';

/**
 * Before the one pool opens: migrations as the owner, then the runtime role and its grants
 * (database-roles.ts). The API's pool connects as the runtime role; operator commands as the owner.
 */
function dataSourceModule(connectAs: 'runtime' | 'owner'): DynamicModule {
  return TypeOrmModule.forRootAsync({
    inject: [APP_CONFIG],
    useFactory: async (config: AppConfig) => {
      const logger = new Logger('Database');
      const prepared = await prepareDatabase(config.database, {
        info: (message) => logger.log(message),
        warn: (message) => logger.warn(message),
      });
      if (connectAs === 'runtime') {
        logger.log(`The API connects as the database role ${prepared.runtimeRole} (${prepared.mode})`);
      }
      return {
        ...dataSourceOptions(
          connectAs === 'runtime' ? prepared.runtimeUrl : prepared.ownerUrl,
          config.database,
        ),
        retryAttempts: 5,
        retryDelay: 1_000,
      };
    },
  });
}

@Module({
  imports: [dataSourceModule('runtime')],
  providers: [MigrationsService],
  exports: [MigrationsService],
})
export class DatabaseModule {}

/**
 * For operator commands (src/scripts): they change what the API may only read, such as the
 * reference occupations, so they connect as the owner, like migrations.
 */
@Module({ imports: [dataSourceModule('owner')] })
export class OwnerDatabaseModule {}

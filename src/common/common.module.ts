import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClsModule } from 'nestjs-cls';
import { DataSource } from 'typeorm';
import { Clock } from './time/clock';
import { Db } from './database/db';
import { ShutdownState } from './http/shutdown-state';

/**
 * The transaction context (nestjs-cls with its transactional plugin on TypeORM's data source), the
 * `Db` every repository queries through, and the clock. Global: every module uses them.
 */
@Global()
@Module({
  imports: [
    ClsModule.forRoot({
      global: true,
      // Requests enter their context in a Fastify hook (runHandlersInRequestContext), not a middleware.
      plugins: [
        new ClsPluginTransactional({
          imports: [TypeOrmModule],
          adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: DataSource }),
          enableTransactionProxy: false,
        }),
      ],
    }),
  ],
  providers: [Db, Clock, ShutdownState],
  exports: [Db, Clock, ShutdownState],
})
export class CommonModule {}

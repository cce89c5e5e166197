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
    // Not ClsModule.forRoot: that adds a global guard and interceptor to every route even when they
    // do nothing, and Nest's interceptor chain (rxjs, async resources) was a tenth of a read's
    // allocations. Requests enter their context in a Fastify hook (runHandlersInRequestContext).
    ClsModule.registerPlugins([
      new ClsPluginTransactional({
        imports: [TypeOrmModule],
        adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: DataSource }),
        enableTransactionProxy: false,
      }),
    ]),
  ],
  providers: [Db, Clock, ShutdownState],
  exports: [ClsModule, Db, Clock, ShutdownState],
})
export class CommonModule {}

import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Global, Module } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClsModule } from 'nestjs-cls';
import { DataSource } from 'typeorm';
import { Clock } from './time/clock';
import { Db } from './database/db';
import { REQUEST_ID } from './http/request-context';
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
      // Every request runs in its own context, which knows the request id (audit events carry it).
      middleware: {
        mount: true,
        setup: (cls, request: IncomingMessage) => cls.set(REQUEST_ID, request.id),
      },
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

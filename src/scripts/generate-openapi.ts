import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppModule } from '../app.module';
import { configureRouting } from '../app.setup';
import { createRootLogger } from '../common/logging/logger';
import { loadConfig } from '../config/config';
import { buildOpenApiDocument } from '../openapi/openapi';

/**
 * Writes openapi.json from the controllers and DTOs (built with the Swagger CLI plugin, as in
 * production). The module graph is built in preview mode: nothing connects to a database.
 */
async function generate(): Promise<void> {
  const config = loadConfig({ DATABASE_URL: 'postgres://openapi@localhost/openapi' });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, logger: createRootLogger('silent') }),
    new FastifyAdapter(),
    { preview: true, logger: false },
  );
  configureRouting(app);
  const target = resolve(process.argv[2] ?? 'openapi.json');
  writeFileSync(target, `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
  await app.close();
  console.log(`Wrote ${target}`);
}

void generate();

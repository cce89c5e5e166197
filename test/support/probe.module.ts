import { Public } from '../../src/auth/auth.decorators';
import { Body, Controller, Get, Module, Param, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsDateString, IsInt, IsString, Length, Max, Min, ValidateNested, IsArray } from 'class-validator';
import { DataSource } from 'typeorm';

class ProbeAddress {
  @IsString()
  @Length(5, 5)
  postalCode!: string;
}

export class ProbeBody {
  @IsString()
  @Length(1, 100)
  name!: string;

  @IsDateString({ strict: true })
  birthDate!: string;

  @IsInt()
  @Min(0)
  @Max(8)
  iscedLevel!: number;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ProbeAddress)
  addresses!: ProbeAddress[];
}

/**
 * Test-only routes that make the real PostgreSQL raise each class of error through the real driver,
 * so the e2e tests can check what the API answers. Never part of the application.
 */
@Public()
@Controller('probe')
export class ProbeController {
  constructor(private readonly dataSource: DataSource) {}

  @Post('echo')
  echo(@Body() body: ProbeBody): ProbeBody {
    return body;
  }

  @Post('upload')
  upload(@Body() body: unknown): { received: boolean } {
    return { received: body !== undefined };
  }

  @Get('database-error/:kind')
  async databaseError(@Param('kind') kind: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('CREATE TEMP TABLE parent (id int PRIMARY KEY) ON COMMIT DROP');
      await manager.query(
        'CREATE TEMP TABLE child (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parent(id)) ON COMMIT DROP',
      );
      await manager.query('INSERT INTO parent VALUES (1)');
      await manager.query('INSERT INTO child VALUES (1, 1)');
      switch (kind) {
        case 'unique':
          await manager.query('INSERT INTO parent VALUES (1)');
          break;
        case 'foreign-key-missing':
          await manager.query('INSERT INTO child VALUES (2, 99)');
          break;
        case 'foreign-key-referenced':
          await manager.query('DELETE FROM parent WHERE id = 1');
          break;
        case 'serialization':
          await manager.query(
            "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$",
          );
          break;
        case 'statement-timeout':
          await manager.query("SET LOCAL statement_timeout = '50ms'");
          await manager.query('SELECT pg_sleep(2)');
          break;
        case 'lost-connection':
          await manager.query('SELECT pg_terminate_backend(pg_backend_pid())');
          break;
        case 'slow':
          await manager.query('SELECT pg_sleep(0.8)');
          break;
        case 'unexpected':
          throw new Error('probe failure with internal detail: SELECT secret FROM table');
      }
    });
  }
}

@Module({ controllers: [ProbeController] })
export class ProbeModule {}

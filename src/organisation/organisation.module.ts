import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { NetworkController } from './network.controller';
import { NetworkRepository } from './network.repository';
import { NetworkService } from './network.service';
import { OfficeController } from './office.controller';
import { OfficeRepository } from './office.repository';
import { OfficeService } from './office.service';
import { UserController } from './user.controller';
import { UserRepository } from './user.repository';
import { UserService } from './user.service';

/** Networks, offices and users (administration). */
@Module({
  imports: [AuthModule],
  controllers: [NetworkController, OfficeController, UserController],
  providers: [
    NetworkRepository,
    NetworkService,
    OfficeRepository,
    OfficeService,
    UserRepository,
    UserService,
  ],
  exports: [NetworkService, OfficeService, UserService],
})
export class OrganisationModule {}

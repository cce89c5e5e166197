import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { UserRole } from '../auth/roles';
import { NetworkEntity } from './network.entity';
import { OfficeEntity } from './office.entity';

/** A person who signs in. Never deleted: deactivated users keep their history and cannot sign in. */
@Entity({ name: 'users' })
@Check('users_role_check', `role IN ('ADMIN', 'COORDINATOR', 'ADVISER')`)
@Check(
  'users_role_scope_check',
  `(role <> 'ADVISER' OR office_id IS NOT NULL) AND (role <> 'COORDINATOR' OR network_id IS NOT NULL)`,
)
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Stored in lower case; unique. */
  @Column({ type: 'text', unique: true })
  email!: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  @Column({ type: 'text' })
  role!: UserRole;

  @Index('users_office_id_idx')
  @Column({ name: 'office_id', type: 'uuid', nullable: true })
  officeId!: string | null;

  @ManyToOne(() => OfficeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'office_id' })
  office?: OfficeEntity;

  @Index('users_network_id_idx')
  @Column({ name: 'network_id', type: 'uuid', nullable: true })
  networkId!: string | null;

  @ManyToOne(() => NetworkEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'network_id' })
  network?: NetworkEntity;

  /** argon2id hash (PHC string). */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  /**
   * Set when an administrator sets the password (creating the user or resetting it): the password is
   * then good for one thing only, setting the person's own (`POST /auth/password`).
   */
  @Column({ name: 'password_change_required', type: 'boolean', default: false })
  passwordChangeRequired!: boolean;

  /** When an administrator last set this user's password; shown to the user in `GET /auth/me`. */
  @Column({ name: 'password_set_by_admin_at', type: 'timestamptz', nullable: true })
  passwordSetByAdminAt!: Date | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'deactivated_at', type: 'timestamptz', nullable: true })
  deactivatedAt!: Date | null;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { OfficeEntity } from '../organisation/office.entity';

/**
 * A client (Ratsuchende·r), owned by one office. Identity and contact columns are personal data and
 * become NULL on erasure (Art. 17); the statistical profile stays under the same random id, which
 * carries no identity of its own.
 */
@Entity({ name: 'clients' })
@Index('clients_office_created_idx', ['officeId', 'createdAt', 'id'])
@Index('clients_office_birth_date_idx', ['officeId', 'birthDate'])
// GIN trigram indexes on name_key and nationalities are created by the migration (TypeORM cannot describe them).
@Index('clients_name_key_trgm_idx', { synchronize: false })
@Index('clients_nationalities_idx', { synchronize: false })
export class ClientEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'office_id', type: 'uuid' })
  officeId!: string;

  @ManyToOne(() => OfficeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'office_id' })
  office?: OfficeEntity;

  @Column({ name: 'first_name', type: 'text', nullable: true })
  firstName!: string | null;

  @Column({ name: 'last_name', type: 'text', nullable: true })
  lastName!: string | null;

  /** Normalised, order-independent name (see `name-key.ts`) for duplicate detection and tolerant search. */
  @Column({ name: 'name_key', type: 'text', nullable: true })
  nameKey!: string | null;

  @Column({ name: 'birth_date', type: 'date', nullable: true })
  birthDate!: string | null;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ type: 'text', nullable: true })
  phone!: string | null;

  @Column({ name: 'postal_code', type: 'text', nullable: true })
  postalCode!: string | null;

  @Column({ type: 'text', nullable: true })
  city!: string | null;

  @Column({ type: 'text' })
  gender!: string;

  @Column({ name: 'birth_year', type: 'smallint', nullable: true })
  birthYear!: number | null;

  @Column({ name: 'country_of_birth', type: 'text', nullable: true })
  countryOfBirth!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  nationalities!: string[];

  @Column({ name: 'residence_bundesland', type: 'text', nullable: true })
  residenceBundesland!: string | null;

  @Column({ name: 'arrival_year', type: 'smallint', nullable: true })
  arrivalYear!: number | null;

  @Column({ name: 'residence_status', type: 'text', nullable: true })
  residenceStatus!: string | null;

  @Column({ name: 'german_level', type: 'text', nullable: true })
  germanLevel!: string | null;

  @Column({ name: 'isced_level', type: 'smallint', nullable: true })
  iscedLevel!: number | null;

  @Column({ name: 'employment_status', type: 'text', nullable: true })
  employmentStatus!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  benefits!: string[];

  @Column({ name: 'access_route', type: 'text', nullable: true })
  accessRoute!: string | null;

  /** The adviser who registered the client. */
  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true })
  erasedAt!: Date | null;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

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
import { ClientEntity } from './client.entity';

/** A foreign qualification of a client. The titles are free text and are removed on erasure. */
@Entity({ name: 'client_qualifications' })
@Index('client_qualifications_client_idx', ['clientId', 'createdAt', 'id'])
export class QualificationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId!: string;

  @ManyToOne(() => ClientEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'client_id' })
  client?: ClientEntity;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ name: 'title_original', type: 'text', nullable: true })
  titleOriginal!: string | null;

  @Column({ name: 'title_de', type: 'text', nullable: true })
  titleDe!: string | null;

  /** ISO 3166-1 alpha-2 country where it was awarded. */
  @Column({ type: 'text' })
  country!: string;

  @Column({ name: 'year_awarded', type: 'smallint', nullable: true })
  yearAwarded!: number | null;

  @Column({ name: 'duration_months', type: 'smallint', nullable: true })
  durationMonths!: number | null;

  @Column({ name: 'experience_months', type: 'smallint', nullable: true })
  experienceMonths!: number | null;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

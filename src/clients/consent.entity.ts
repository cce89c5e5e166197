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
import { PartnerEntity } from '../partners/partner.entity';
import { ClientEntity } from './client.entity';

/**
 * A consent (Einwilligung) as given; withdrawn or expired consents are kept as evidence but stop
 * future sharing.
 */
@Entity({ name: 'consents' })
@Index('consents_client_idx', ['clientId', 'createdAt', 'id'])
@Check(
  'consents_sharing_target_check',
  `purpose <> 'WEITERGABE_PARTNER' OR ((partner_id IS NOT NULL OR partner_type IS NOT NULL) AND cardinality(data_categories) > 0)`,
)
export class ConsentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId!: string;

  @ManyToOne(() => ClientEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'client_id' })
  client?: ClientEntity;

  @Column({ type: 'text' })
  purpose!: string;

  @Column({ name: 'partner_id', type: 'uuid', nullable: true })
  partnerId!: string | null;

  @ManyToOne(() => PartnerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partner_id' })
  partner?: PartnerEntity;

  @Column({ name: 'partner_type', type: 'text', nullable: true })
  partnerType!: string | null;

  @Column({ name: 'data_categories', type: 'text', array: true, default: () => "'{}'" })
  dataCategories!: string[];

  @Column({ name: 'given_on', type: 'date' })
  givenOn!: string;

  @Column({ type: 'text' })
  method!: string;

  @Column({ name: 'expires_on', type: 'date', nullable: true })
  expiresOn!: string | null;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt!: Date | null;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

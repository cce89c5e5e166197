import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { PARTNER_TYPES, type PartnerType } from './partner-types';

/** A cooperation partner (Jobcenter, Kammer, Anerkennungsstelle …); may have API clients. */
@Entity({ name: 'partners' })
@Check('partners_type_check', `type IN (${PARTNER_TYPES.map((type) => `'${type}'`).join(', ')})`)
export class PartnerEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  type!: PartnerType;

  @Column({ type: 'text', nullable: true })
  bundesland!: string | null;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

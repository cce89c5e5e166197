import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { NetworkEntity } from './network.entity';

/** A counselling office (Beratungsstelle): the tenant boundary for personal data. */
@Entity({ name: 'offices' })
@Unique('offices_network_name_key', ['networkId', 'name'])
export class OfficeEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('offices_network_id_idx')
  @Column({ name: 'network_id', type: 'uuid' })
  networkId!: string;

  @ManyToOne(() => NetworkEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'network_id' })
  network?: NetworkEntity;

  @Column({ type: 'text' })
  name!: string;

  /** ISO 3166-2 code, `DE-BY` … */
  @Column({ type: 'text' })
  bundesland!: string;

  @Column({ type: 'boolean', default: false })
  mobile!: boolean;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

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
import { NetworkEntity } from '../organisation/network.entity';
import { PartnerEntity } from '../partners/partner.entity';
import { OFFER_DELIVERIES, OFFER_FORMATS, OFFER_TYPES } from '../reference-data/codes';

const quoted = (codes: readonly string[]) => codes.map((code) => `'${code}'`).join(', ');

/**
 * An adaptation qualification (Maßnahme) in the catalogue, kept by the coordinators of its network.
 * `seats_taken` and `waitlisted` are counters the trigger `enrolments_count_seats` keeps in step with
 * the enrolments (migration `QualificationOffersAndEnrolments`); the CHECK `seats_taken <= capacity`
 * makes "never overbooked" a database invariant, whatever a request does concurrently: an enrolment
 * that would take a seat beyond the capacity fails in the trigger's UPDATE of this row.
 */
@Entity({ name: 'qualification_offers' })
@Index('qualification_offers_created_idx', ['createdAt', 'id'])
@Index('qualification_offers_network_idx', ['networkId'])
@Check('qualification_offers_type_check', `type IN (${quoted(OFFER_TYPES)})`)
@Check('qualification_offers_format_check', `format IN (${quoted(OFFER_FORMATS)})`)
@Check('qualification_offers_delivery_check', `delivery IN (${quoted(OFFER_DELIVERIES)})`)
@Check('qualification_offers_capacity_check', 'capacity >= 1')
@Check('qualification_offers_seats_check', 'seats_taken >= 0 AND seats_taken <= capacity')
@Check('qualification_offers_waitlisted_check', 'waitlisted >= 0')
@Check('qualification_offers_dates_check', 'ends_on IS NULL OR ends_on >= starts_on')
export class QualificationOfferEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The network that offers it; only its coordinators change it. */
  @Column({ name: 'network_id', type: 'uuid' })
  networkId!: string;

  @ManyToOne(() => NetworkEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'network_id' })
  network?: NetworkEntity;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  type!: string;

  /** The provider (Bildungsträger), a partner. */
  @Column({ name: 'provider_partner_id', type: 'uuid' })
  providerPartnerId!: string;

  @ManyToOne(() => PartnerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'provider_partner_id' })
  providerPartner?: PartnerEntity;

  /** KldB 2010 codes of the reference occupations the measure leads to. */
  @Column({ name: 'reference_occupations', type: 'text', array: true, default: () => "'{}'" })
  referenceOccupations!: string[];

  @Column({ type: 'text' })
  format!: string;

  @Column({ type: 'text' })
  delivery!: string;

  @Column({ type: 'integer' })
  capacity!: number;

  /** Enrolments ZUGESAGT or LAUFEND; maintained by the trigger only. */
  @Column({ name: 'seats_taken', type: 'integer', default: 0 })
  seatsTaken!: number;

  /** Enrolments WARTELISTE; maintained by the trigger only. */
  @Column({ type: 'integer', default: 0 })
  waitlisted!: number;

  @Column({ name: 'starts_on', type: 'date' })
  startsOn!: string;

  @Column({ name: 'ends_on', type: 'date', nullable: true })
  endsOn!: string | null;

  @Column({ name: 'iq_funded', type: 'boolean', default: false })
  iqFunded!: boolean;

  @Column({ type: 'text', nullable: true })
  bundesland!: string | null;

  @Column({ type: 'text', nullable: true })
  city!: string | null;

  /** Describes the measure, not a person: not personal data. */
  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A reference occupation (Referenzberuf) by its KldB 2010 five-digit code: the curated list shipped
 * with Anker, or rows loaded from the Federal Employment Agency's list by `npm run occupations:import`.
 */
@Entity({ name: 'reference_occupations' })
// GIN trigram index on the folded title is created by the migration (TypeORM cannot describe it).
@Index('reference_occupations_title_trgm_idx', { synchronize: false })
export class ReferenceOccupationEntity {
  /** KldB 2010, `^\d{5}$`. */
  @PrimaryColumn({ type: 'text' })
  kldb!: string;

  @Column({ name: 'title_de', type: 'text' })
  titleDe!: string;

  @Column({ name: 'title_en', type: 'text', nullable: true })
  titleEn!: string | null;

  /** A regulated profession (reglementierter Beruf): practising it requires recognition. */
  @Column({ type: 'boolean' })
  regulated!: boolean;

  /** `CURATED` (shipped) or `BA_IMPORT`. */
  @Column({ type: 'text' })
  source!: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

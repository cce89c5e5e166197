import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { RecognitionCaseEntity } from './recognition-case.entity';

/**
 * A substantial difference (wesentlicher Unterschied) a partial decision names, with the measures that
 * can compensate it. The description is free text (erased on Art. 17); the options are codes.
 */
@Entity({ name: 'substantial_differences' })
@Index('substantial_differences_case_idx', ['caseId'])
export class SubstantialDifferenceEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @ManyToOne(() => RecognitionCaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  recognitionCase?: RecognitionCaseEntity;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ name: 'compensation_options', type: 'text', array: true, default: () => "'{}'" })
  compensationOptions!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

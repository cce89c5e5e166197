import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { RecognitionStatus } from './recognition-state-machine';

/**
 * A step another module's records make available on a case, e.g. closing a compensation measure as
 * passed once the linked adaptation qualification was completed successfully. The case lists it in
 * `nextSteps`; the adviser triggers it with the usual transition.
 */
export interface CaseNextStep {
  to: RecognitionStatus;
  /** The transition's members, e.g. `{ compensationPassed: true }`. */
  members: Record<string, unknown>;
  /** The outcome the step records. */
  outcome: string | null;
  /** The record that supports it. */
  basis: { resourceType: string; resourceId: string };
}

/**
 * A module that knows steps for cases declares a provider
 *
 *     @CaseNextStepSourceProvider()
 *     @Injectable()
 *     export class EnrolmentCaseSteps implements CaseNextStepSource { … }
 *
 * without the recognition module depending on it.
 */
export interface CaseNextStepSource {
  /** The steps for these cases (id and current status), by case id; cases without steps may be left out. */
  stepsFor(cases: readonly { id: string; status: string }[]): Promise<Map<string, CaseNextStep[]>>;
}

export const CaseNextStepSourceProvider = DiscoveryService.createDecorator<void>();

/** Every `CaseNextStepSource` of the application, found at start-up. */
@Injectable()
export class CaseNextSteps implements OnModuleInit {
  private sources: CaseNextStepSource[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    this.sources = this.discovery
      .getProviders({ metadataKey: CaseNextStepSourceProvider.KEY })
      .map((wrapper) => wrapper.instance as CaseNextStepSource);
  }

  async of(cases: readonly { id: string; status: string }[]): Promise<Map<string, CaseNextStep[]>> {
    const steps = new Map<string, CaseNextStep[]>();
    if (cases.length === 0) {
      return steps;
    }
    for (const source of this.sources) {
      for (const [caseId, found] of await source.stepsFor(cases)) {
        steps.set(caseId, [...(steps.get(caseId) ?? []), ...found]);
      }
    }
    return steps;
  }
}

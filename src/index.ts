/**
 * The public API of journey-prober: what a journey file imports.
 * `import { defineJourney, expect, fail } from 'journey-prober';`
 */
export { defineJourney, JourneyDefinitionError, MAX_STEP_NAMES } from './journey/define.js';
export { JourneyFailure, fail } from './journey/failure.js';
export { Secret } from './journey/secret.js';
export { FAILURE_CLASSES, OUTCOMES } from './journey/outcomes.js';
export type { FailureClass, Outcome, StepOutcome } from './journey/outcomes.js';
export type {
  Account,
  AccountSession,
  AccountState,
  CardBudgetView,
  CardSecrets,
  Journey,
  JourneyDefinition,
  ParamSpec,
  ParamSpecs,
  RunContext,
  RunResult,
  StepOptions,
  StepResult,
  StorageState,
  TargetInfo,
} from './journey/types.js';
export { expect } from '@playwright/test';
export type { Page, Locator, FrameLocator, Request } from '@playwright/test';

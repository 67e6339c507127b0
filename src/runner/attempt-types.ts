import type { Journey, StepResult, TargetInfo } from '../journey/types.js';
import type { AttemptFailure } from './attempt-state.js';
import type { Evidence } from './evidence.js';
import type { AttemptVerdict } from './outcome.js';
import type { RunOptions } from './types.js';

/** What one attempt is given by runJourney(). */
export interface AttemptInput {
  readonly journey: Journey;
  readonly target: TargetInfo;
  readonly options: RunOptions;
  readonly runId: string;
  readonly attempt: number;
  /** Run-level annotations, shared by all attempts. */
  readonly annotations: Record<string, string | number | boolean>;
  /** Keep a screenshot and the console/requests when the attempt fails (an artifacts directory is set). */
  readonly collectEvidence: boolean;
  /** Where the raw trace goes when kept; undefined: no tracing. */
  readonly tracePath?: string;
  readonly keepTraceOnSuccess: boolean;
}

/** What one attempt leaves: its verdict, steps, evidence and the secrets it saw. */
export interface AttemptReport extends AttemptVerdict {
  readonly steps: readonly StepResult[];
  readonly failure?: AttemptFailure;
  readonly evidence?: Evidence;
  /** The password and the context's cookie values: scrubbed from every artifact. */
  readonly secrets: readonly string[];
  readonly cleanupFailures: number;
  /** Fresh sign-ins of the account's session during the attempt. */
  readonly signIns?: { readonly success: number; readonly failure: number };
  /** Ended by RunOptions.signal (shutdown): no retry follows. */
  readonly aborted: boolean;
}

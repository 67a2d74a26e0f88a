/** Classifies pipeline errors for the editor, which offers a matching action for each kind. */
import { AiCancelledError, AiKeyMissingError } from '../pipeline/ai/errors.js';
import { ClockworkLoadError } from '../pipeline/loader/load.js';
import { LockedError } from '../pipeline/lock.js';
import { PyinfraMissingError } from '../pipeline/pyinfra/locate.js';
import { SettingsError } from '../pipeline/settings.js';
import type { RunErrorKind } from '../protocol.js';

/** The kind and message of an error thrown by a run. */
export function classifyRunError(error: unknown, signal: AbortSignal): { kind: RunErrorKind; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (signal.aborted || error instanceof AiCancelledError) return { kind: 'cancelled', message: 'Cancelled.' };
  if (error instanceof LockedError) return { kind: 'locked', message };
  if (error instanceof PyinfraMissingError) return { kind: 'pyinfra-missing', message };
  if (error instanceof AiKeyMissingError) return { kind: 'ai-key-missing', message };
  if (error instanceof ClockworkLoadError) return { kind: 'load', message };
  if (error instanceof SettingsError) return { kind: 'settings', message };
  return { kind: 'other', message };
}

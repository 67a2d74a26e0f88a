/**
 * A run's events as an editor shows them: a short title for a progress indicator when the event
 * moves the run on, and lines for a log, each with a level. The language server's
 * `clockwork/progress` reporter uses this; so can any other way of showing a run in an editor.
 */
import type { RunEvent, RunStep } from '../pipeline/events.js';
import { assertionLine, generationLine, removalLine, resourceLines } from './lines.js';

/** How much a log line matters. */
export type LineLevel = 'debug' | 'info' | 'warn' | 'error';

/** A log line. */
export interface LogLine {
  text: string;
  level: LineLevel;
}

/** What an editor shows for one event. */
export interface EventView {
  /** A title for a progress indicator, e.g. "Generating 2/3", when the event moves the run on. */
  progress?: string;
  lines: LogLine[];
}

const STEP_TITLES: Record<RunStep, string> = {
  loading: 'Loading',
  generating: 'Generating',
  compiling: 'Compiling',
  removing: 'Removing',
  deploying: 'Deploying',
  destroying: 'Destroying',
  recording: 'Recording',
  checking: 'Checking',
  installing: 'Installing PyInfra',
};

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The progress title and log lines of an event; paths are shown relative to `cwd`. */
export function viewEvent(event: RunEvent, cwd: string): EventView {
  switch (event.type) {
    case 'step': {
      const info = (text: string): LogLine => ({ text, level: 'info' });
      if (event.step === 'generating') return { progress: `Generating 0/${event.total}`, lines: [info(event.message)] };
      if (event.step === 'checking') return { progress: `Checking ${plural(event.checks.length, 'assertion')}`, lines: [info(event.message)] };
      if (event.step === 'removing') return { progress: STEP_TITLES.removing, lines: [info(`${event.message}:`), ...event.changes.map((change) => info(`  ${removalLine(change, cwd)}`))] };
      return { progress: STEP_TITLES[event.step], lines: [info(event.message)] };
    }
    case 'generation': {
      const { outcome } = event;
      const failed = outcome.status === 'failed';
      const lines: LogLine[] = [{ text: generationLine(outcome, cwd), level: failed ? 'error' : 'info' }];
      if (failed && outcome.error) lines.push({ text: `    ${outcome.error}`, level: 'error' });
      const wrote = failed || outcome.status === 'generated';
      return wrote ? { progress: `Generating ${event.done}/${event.total}`, lines } : { lines };
    }
    case 'note':
      return { lines: [{ text: event.message, level: event.level ?? 'warn' }] };
    case 'resource': {
      const level = event.result.status === 'failed' || event.result.status === 'skipped' ? 'error' : 'info';
      return { lines: resourceLines(event.result, cwd).map((text) => ({ text, level })) };
    }
    case 'assertion': {
      const { result } = event;
      const text = assertionLine(result, { showHost: result.host !== '@local' });
      return { progress: `Checked ${event.done}`, lines: [{ text, level: result.status === 'passed' ? 'info' : 'warn' }] };
    }
    case 'output':
      // What clockwork.ts prints is the user's own; the tools' chatter is for debugging.
      return { lines: [{ text: event.line, level: event.source === 'clockwork.ts' ? 'info' : 'debug' }] };
  }
}

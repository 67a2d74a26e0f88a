/**
 * Reporting results to a test run: a leaf passes when every host (and every instance of a
 * resource built in a loop) passed; otherwise each failure is its own message, expected
 * against actual at the assertion, naming the resource and host when there are several.
 */
import * as vscode from 'vscode';
import type { WireAssertionResult } from '../../../server/src/protocol.js';

/** What an item's latest run gave (tests read these). */
export interface ItemResult {
  state: 'passed' | 'failed' | 'errored' | 'skipped';
  message?: string;
  expected?: string;
  actual?: string;
  durationMs?: number;
}

const WORST = { passed: 0, failed: 1, error: 2 } as const;

function failureText(result: WireAssertionResult, who: string): string {
  const text = result.message || `expected ${result.expected}, got ${result.actual || 'nothing'}`;
  return who ? `${who}: ${text}` : text;
}

function testMessage(item: vscode.TestItem, result: WireAssertionResult, who: string): vscode.TestMessage {
  const text = failureText(result, who);
  const message =
    result.status === 'failed' && (result.expected || result.actual) ? vscode.TestMessage.diff(text, result.expected, result.actual) : new vscode.TestMessage(text);
  if (item.uri && item.range) message.location = new vscode.Location(item.uri, item.range);
  return message;
}

/** Reports one leaf's results (one per host and resource instance) to `run`; returns what it showed. */
export function reportLeaf(run: vscode.TestRun, item: vscode.TestItem, results: readonly WireAssertionResult[]): ItemResult | undefined {
  const worst = [...results].sort((a, b) => WORST[b.status] - WORST[a.status])[0];
  if (!worst) return undefined;
  const duration = Math.max(...results.map((result) => result.durationMs));
  if (worst.status === 'passed') {
    run.passed(item, duration);
    return { state: 'passed', durationMs: duration };
  }
  const resources = new Set(results.map((result) => result.resource)).size > 1;
  const hosts = new Set(results.map((result) => result.host)).size > 1;
  const failures = results.filter((result) => result.status !== 'passed');
  const who = (result: WireAssertionResult): string => [resources ? result.resource : '', hosts ? `on ${result.host}` : ''].filter(Boolean).join(' ');
  const messages = failures.map((result) => testMessage(item, result, who(result)));
  if (worst.status === 'failed') run.failed(item, messages, duration);
  else run.errored(item, messages, duration);
  return {
    state: worst.status === 'failed' ? 'failed' : 'errored',
    message: failureText(worst, who(worst)),
    expected: worst.expected,
    actual: worst.actual,
    durationMs: duration,
  };
}

/** A line of a run's output for the Test Results terminal: passes green, failures red. */
export function outputLine(line: string): string {
  const color = line.startsWith('✓') ? '\u001b[32m' : line.startsWith('✗') ? '\u001b[31m' : '';
  return `${color}${line.replace(/\r?\n/g, '\r\n')}${color ? '\u001b[0m' : ''}\r\n`;
}

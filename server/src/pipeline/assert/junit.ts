/**
 * JUnit XML for CI systems: one <testsuite> per resource, one <testcase> per assertion and
 * host, with <failure> for a failed assertion and <error> for one that could not run.
 */
import { writeFileAtomic } from '../atomicWrite.js';
import type { AssertionResult, AssertOutcome } from './types.js';

// Characters XML 1.0 cannot hold at all (controls, lone surrogates, U+FFFE/U+FFFF).
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text escaped for XML content and attribute values. */
export function xmlEscape(text: string): string {
  return text
    .replace(NOT_XML, '\uFFFD')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    .replaceAll('\n', '&#10;')
    .replaceAll('\r', '&#13;')
    .replaceAll('\t', '&#9;');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/** The readable name of an assertion result, e.g. `PortAccessibleAssert (port 8080)`. */
export function assertionTitle(result: AssertionResult): string {
  const label = result.assertion.label ? ` (${result.assertion.label})` : '';
  return `${result.assertion.kind}${label}${result.isDefault ? ' [default]' : ''}`;
}

/** The JUnit XML document for a run. */
export function renderJunit(run: AssertOutcome, suiteName: string): string {
  const groups = new Map<string, AssertionResult[]>();
  for (const result of run.results) groups.set(result.resource, [...(groups.get(result.resource) ?? []), result]);
  const hosts = new Set(run.results.map((result) => result.host));
  const attrs = (values: Record<string, string | number>): string =>
    Object.entries(values)
      .map(([key, value]) => ` ${key}="${xmlEscape(String(value))}"`)
      .join('');
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: suiteName, tests: run.counts.total, failures: run.counts.failed, errors: run.counts.error, time: seconds(run.durationMs) })}>`,
  ];
  for (const [resource, results] of groups) {
    const failures = results.filter((result) => result.status === 'failed').length;
    const errors = results.filter((result) => result.status === 'error').length;
    const time = results.reduce((sum, result) => sum + result.durationMs, 0);
    lines.push(`  <testsuite${attrs({ name: resource, tests: results.length, failures, errors, skipped: 0, time: seconds(time) })}>`);
    for (const result of results) {
      const name = assertionTitle(result) + (hosts.size > 1 || result.host !== '@local' ? ` on ${result.host}` : '');
      const testcase = `    <testcase${attrs({ name, classname: `${result.kind}.${resource}`, time: seconds(result.durationMs) })}`;
      if (result.status === 'passed') {
        lines.push(`${testcase}/>`);
        continue;
      }
      const element = result.status === 'failed' ? 'failure' : 'error';
      const detail = `expected: ${result.expected}\nactual: ${result.actual || '(none)'}\nhost: ${result.host}`;
      lines.push(
        `${testcase}>`,
        `      <${element}${attrs({ message: result.message || result.status, type: result.status === 'failed' ? 'AssertionFailed' : 'CheckError' })}>${xmlEscape(detail)}</${element}>`,
        '    </testcase>',
      );
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

/** Writes the JUnit XML file atomically (a CI system never reads half a file). */
export function writeJunit(file: string, run: AssertOutcome, suiteName: string): void {
  writeFileAtomic(file, renderJunit(run, suiteName));
}

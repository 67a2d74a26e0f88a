/**
 * Every validation rule of the model, checked through the loader on a real clockwork.ts:
 * each case sits on its own line, so each message must carry that exact line and column.
 */
import * as assert from 'node:assert/strict';
import { ClockworkLoadError, loadProject } from '../../server/src/pipeline/loader/load.js';
import { makeProject, removeProjects } from '../support/tempProject.js';

/** One invalid declaration and the exact message (after `clockwork.ts:LINE:3 `) it must produce. */
const cases: [declaration: string, message: string][] = [
  [`new FileResource({ name: 'm1.txt', content: '', mode: 'rwx' })`, `FileResource "m1.txt": mode: expected an octal mode like "644", got "rwx"`],
  [`new FileResource({ name: 'm2.txt', content: '', mode: '99' })`, `FileResource "m2.txt": mode: expected an octal mode like "644", got "99"`],
  [`new FileResource({ name: 'pd.txt', content: '', path: 'a/pd.txt', directory: 'a' })`, `FileResource "pd.txt": path: give either path or directory, not both (path is the whole file path)`],
  [`new FileResource({ name: 'sz.txt', size: 'huge' })`, `FileResource "sz.txt": size: expected one of "small", "medium", "large", got "huge"`],
  [`new FileResource({ name: 'a/b.txt', content: '' })`, `FileResource "a/b.txt": name: expected a file name without "/", got "a/b.txt" (use directory or path for folders)`],
  [`new FileResource({ content: 'x' })`, `FileResource: name: is required (expected a string)`],
  [`new FileResource({ name: 'ct.txt', content: 42 })`, `FileResource "ct.txt": content: expected the file's content as a string, got 42`],
  [`new FileResource({ name: 'up.txt', content: '', colour: 'red' })`, `FileResource "up.txt": colour: unknown property`],
  [`new DockerServiceResource({ name: '-bad', image: 'x' })`, `DockerServiceResource "-bad": name: expected a Docker container name (letters, digits, "_", "." or "-", at least 2, starting with a letter or digit), got "-bad"`],
  [`new DockerServiceResource({ name: 'p1', image: 'x', ports: ['70000:80'] })`, `DockerServiceResource "p1": ports.0: expected a port mapping "[ip:]hostPort:containerPort[/tcp|udp]" with ports from 1 to 65535, got "70000:80"`],
  [`new DockerServiceResource({ name: 'p2', image: 'x', ports: ['8080:80/sctp'] })`, `DockerServiceResource "p2": ports.0: expected a port mapping "[ip:]hostPort:containerPort[/tcp|udp]" with ports from 1 to 65535, got "8080:80/sctp"`],
  [`new DockerServiceResource({ name: 'v1', image: 'x', volumes: ['data'] })`, `DockerServiceResource "v1": volumes.0: expected a volume "source:/target[:ro|rw]", got "data"`],
  [`new DockerServiceResource({ name: 'e1', image: 'x', envVars: { '1X': 'a' } })`, `DockerServiceResource "e1": envVars.1X: expected an environment variable name (letters, digits, "_", not starting with a digit), got "1X"`],
  [`new DockerServiceResource({ name: 'i1', image: 'has space' })`, `DockerServiceResource "i1": image: expected an image reference such as "nginx:1.27", got "has space"`],
  [`new HealthcheckAssert({ url: 'ftp://example.com' })`, `HealthcheckAssert: url: expected an http:// or https:// URL, got "ftp://example.com"`],
  [`new ResponseTimeAssert({ url: 'not a url', maxMs: 100 })`, `ResponseTimeAssert: url: expected an http:// or https:// URL, got "not a url"`],
  [`new HealthcheckAssert({ url: 'http://localhost', expectedStatus: 700 })`, `HealthcheckAssert: expectedStatus: expected an HTTP status code from 100 to 599, got 700`],
  [`new PortAccessibleAssert({ port: 0 })`, `PortAccessibleAssert: port: expected a port number from 1 to 65535, got 0`],
  [`new PortAccessibleAssert({ port: 65536 })`, `PortAccessibleAssert: port: expected a port number from 1 to 65535, got 65536`],
  [`new PortAccessibleAssert({ port: 80, protocol: 'icmp' })`, `PortAccessibleAssert: protocol: expected one of "tcp", "udp", got "icmp"`],
  [`new LogContainsAssert({ pattern: '(unclosed' })`, `LogContainsAssert: pattern: expected a regular expression, got "(unclosed" (Unterminated group)`],
  [`new LogContainsAssert({ pattern: 'id=\\\\d+' })`, `LogContainsAssert: pattern: expected an extended regular expression (grep -E), got "id=\\\\d+": use [0-9] instead of \\d`],
  [`new FileContentMatchesAssert({ path: 'f', sha256: 'abc' })`, `FileContentMatchesAssert: sha256: expected a SHA-256 digest (64 hex digits), got "abc"`],
  [`new FileContentMatchesAssert({ path: 'f' })`, `FileContentMatchesAssert: give at least one of pattern, sha256`],
  [`new FileSizeAssert({ path: 'f' })`, `FileSizeAssert: give at least one of minBytes, maxBytes`],
  [`new FileSizeAssert({ path: 'f', minBytes: 10, maxBytes: 5 })`, `FileSizeAssert: minBytes: minBytes (10) must not be greater than maxBytes (5)`],
  [`new DiskUsageAssert({ path: '/' })`, `DiskUsageAssert: give at least one of maxPercent, maxMb`],
  [`new DiskUsageAssert({ path: '/', maxPercent: 150 })`, `DiskUsageAssert: maxPercent: expected a percentage from 0 to 100, got 150`],
  [`new FilePermissionsAssert({ path: 'f' })`, `FilePermissionsAssert: give at least one of mode, owner, group`],
  [`new ProcessRunningAssert({ name: 'x', minCount: 0 })`, `ProcessRunningAssert: minCount: expected at least 1 processes, got 0`],
  [`new FileExistsAssert({ path: 'f', timeoutSeconds: -1 })`, `FileExistsAssert: timeoutSeconds: expected a positive number of seconds, got -1`],
  [`new CpuUsageAssert({ maxPercent: 50, containerName: 'a b' })`, `CpuUsageAssert: containerName: expected a Docker container name (letters, digits, "_", "." or "-", at least 2, starting with a letter or digit), got "a b"`],
  [`new FileResource({ name: 'cr.txt', content: '', assertions: [new ContainerRunningAssert({})] })`, `FileResource "cr.txt": assertions.0: ContainerRunningAssert on a FileResource needs containerName (it applies by itself only to DockerServiceResource)`],
  [`new FileResource({ name: 'na.txt', content: '', assertions: ['exists'] })`, `FileResource "na.txt": assertions.0: expected an assertion such as new FileExistsAssert({...}), got "exists"`],
];

const IMPORTS = `import {
  ContainerRunningAssert, CpuUsageAssert, DiskUsageAssert, DockerServiceResource, FileContentMatchesAssert, FileExistsAssert,
  FilePermissionsAssert, FileResource, FileSizeAssert, HealthcheckAssert, LogContainsAssert, PortAccessibleAssert,
  ProcessRunningAssert, ResponseTimeAssert,
} from 'clockwork';
`;

describe('validation rules (through the loader, with exact locations)', function () {
  this.timeout(60_000);
  after(removeProjects);

  let message = '';
  const headerLines = IMPORTS.split('\n').length;
  const COLUMN = 'export const c00 = '.length + 1;

  before(async () => {
    // Each case is a named export on its own line, at column ${COLUMN}.
    const source = `${IMPORTS}\n${cases.map(([declaration], index) => `export const c${String(index).padStart(2, '0')} = ${declaration};`).join('\n')}\n`;
    const dir = makeProject({ 'clockwork.ts': source });
    const error = await loadProject({ target: dir }).then(
      () => assert.fail('an invalid clockwork.ts must not load'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof ClockworkLoadError, String(error));
    // Paths are shown relative to the working folder; compare on the file name.
    message = error.message.replaceAll(`${dir}/`, '');
  });

  cases.forEach(([declaration, expected], index) => {
    const line = headerLines + 1 + index;
    it(`line ${line}: ${declaration.slice(0, 70)}`, () => {
      const lines = message.split('\n').map((text) => text.replace(/^.*?clockwork\.ts:/, 'clockwork.ts:'));
      assert.ok(lines.includes(`clockwork.ts:${line}:${COLUMN} ${expected}`), `expected\n  clockwork.ts:${line}:${COLUMN} ${expected}\nin\n  ${lines.join('\n  ')}`);
    });
  });

  it('reports every invalid declaration at once, one line each', () => {
    assert.equal(message.split('\n').length, cases.length);
  });
});

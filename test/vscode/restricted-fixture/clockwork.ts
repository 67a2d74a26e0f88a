// Fixture of the Restricted Mode suite (test/vscode/restricted). If anything executed this
// file, it would leave a canary file in the temp folder: the suite checks that it never does.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileExistsAssert, FileResource } from 'clockwork';

fs.writeFileSync(path.join(os.tmpdir(), 'clockwork-vscode-canary.txt'), 'clockwork.ts was executed\n');

export default [
  new FileResource({
    name: 'canary.txt',
    directory: 'out',
    content: 'never deployed',
    mode: 'rwx',
    assertions: [new FileExistsAssert({ path: 'out/canary.txt' })],
  }),
];

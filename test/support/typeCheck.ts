/**
 * Type-checks a file of a project folder against the `clockwork` declarations Init Project
 * writes there (`types/clockwork.d.ts`), as a user's editor would: strict, ES modules.
 */
import * as path from 'node:path';
import ts from 'typescript';

/** The TypeScript errors of `dir/file`, as flattened messages (none: it type-checks). */
export function typeErrors(dir: string, file: string): string[] {
  const program = ts.createProgram([path.join(dir, file), path.join(dir, 'types/clockwork.d.ts')], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    lib: ['lib.es2022.d.ts'],
    types: [],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
  });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

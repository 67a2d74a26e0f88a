// Files written by the AI from a description, plus one whose content is given.
// Run: npx clockwork plan --dir examples/file-generation
import { FileContentMatchesAssert, FileExistsAssert, FileResource, FileSizeAssert } from 'clockwork';

export default [
  new FileResource({
    name: 'game_of_life.md',
    description: "An article about Conway's Game of Life: its rules, famous patterns and why it matters",
    directory: 'scratch',
    size: 'medium',
    assertions: [
      new FileExistsAssert({ path: 'scratch/game_of_life.md' }),
      new FileSizeAssert({ path: 'scratch/game_of_life.md', minBytes: 500, maxBytes: 50000 }),
      new FileContentMatchesAssert({ path: 'scratch/game_of_life.md', pattern: 'Conway' }),
    ],
  }),
  new FileResource({
    name: 'clockwork_poem.txt',
    description: 'A short poem about clockwork mechanisms and precision',
    directory: 'scratch',
    size: 'small',
    assertions: [
      new FileExistsAssert({ path: 'scratch/clockwork_poem.txt' }),
      new FileSizeAssert({ path: 'scratch/clockwork_poem.txt', minBytes: 50, maxBytes: 2000 }),
    ],
  }),
  new FileResource({
    name: 'README.md',
    description: 'A README for the scratch folder',
    directory: 'scratch',
    content: '# Generated Files\n\nThis folder holds files that Clockwork generated from descriptions.\n',
    mode: '644',
    assertions: [
      new FileExistsAssert({ path: 'scratch/README.md' }),
      new FileContentMatchesAssert({ path: 'scratch/README.md', pattern: 'Generated Files' }),
    ],
  }),
];

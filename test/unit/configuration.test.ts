/**
 * The settings table (server/src/configuration.ts) is the one place a setting is named: package.json's
 * static `contributes.configuration` matches it, and every VS Code key and CLI flag it lists reaches
 * the resolved settings, so a new entry works everywhere or fails here.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliSettings, settingOptions } from '../../server/src/cli/settingOptions.js';
import { RUN_SETTING_IDS, SETTINGS, type SettingId, type SettingSpec, type SettingType } from '../../server/src/configuration.js';
import { settingsFor } from '../../server/src/lsp/runCommands.js';
import type { Settings } from '../../server/src/pipeline/settings.js';
import { makeProject, removeProjects, repoRoot } from '../support/tempProject.js';

interface Manifest {
  contributes: { configuration: { properties: Record<string, Record<string, unknown>> } };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
}

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const specs = Object.entries(SETTINGS) as [SettingId, SettingSpec][];

/** A valid value of a setting's type other than its default, and what the pipeline makes of it. */
function sample(type: SettingType, projectDir: string): { text: string; resolved: unknown } {
  switch (type.kind) {
    case 'text':
    case 'secret':
      return { text: 'value-from-the-test', resolved: 'value-from-the-test' };
    case 'url':
      return { text: 'http://127.0.0.1:9/v1', resolved: 'http://127.0.0.1:9/v1' };
    case 'path':
      return { text: 'from-the-test', resolved: path.join(projectDir, 'from-the-test') };
    case 'choice':
      return { text: String(type.values.at(-1)).toLowerCase(), resolved: type.values.at(-1) };
    case 'count':
      return { text: String(type.max), resolved: type.max };
    case 'seconds':
      return { text: String(type.max), resolved: type.max * 1000 };
  }
}

function resolvedValue(settings: Settings, id: SettingId): unknown {
  const value = (settings as unknown as Record<string, unknown>)[id];
  return value !== null && typeof value === 'object' && 'reveal' in value ? (value as { reveal(): string }).reveal() : value;
}

describe('the settings table', () => {
  after(removeProjects);

  it("matches package.json's contributes.configuration: keys, types, defaults, enums, bounds, descriptions", () => {
    const properties = manifest.contributes.configuration.properties;
    const expected = Object.fromEntries(
      specs.flatMap(([, spec]) => {
        if (!spec.vscode) return [];
        const { key, restricted: _restricted, enum: choices, ...rest } = spec.vscode;
        return [[key, { ...rest, ...(choices ? { enum: [...choices] } : {}), scope: 'resource' }]];
      }),
    );
    const order = (value: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
    const actual = Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, order(value)]));
    assert.deepEqual(actual, Object.fromEntries(Object.entries(expected).map(([key, value]) => [key, order(value)])), 'edit package.json to match server/src/configuration.ts');
  });

  it("lists in package.json's Restricted Mode exactly the settings marked restricted", () => {
    const restricted = specs.flatMap(([, spec]) => (spec.vscode?.restricted ? [spec.vscode.key] : []));
    assert.deepEqual([...manifest.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(), restricted.sort());
  });

  it('gives a VS Code default that is the pipeline default, or "" for "not set here"', () => {
    for (const [id, spec] of specs) {
      if (!spec.vscode || !spec.env || spec.vscode.default === '') continue;
      assert.equal(String(spec.vscode.default), spec.default, id);
    }
  });

  it('takes every VS Code key the editor sends over the environment and .env', () => {
    const dir = makeProject({});
    for (const id of RUN_SETTING_IDS) {
      const spec = SETTINGS[id];
      const value = sample(spec.type, dir);
      const given = spec.vscode.type === 'number' ? Number(value.text) : value.text;
      const settings = settingsFor(dir, { [id]: given });
      assert.deepEqual(resolvedValue(settings, id), value.resolved, id);
      assert.equal(settings.sources[spec.env], 'explicit', id);
    }
  });

  it('takes every CLI flag on the commands that list it', () => {
    const dir = makeProject({});
    const io = { cwd: dir, environment: {}, signal: new AbortController().signal, stdout: () => undefined, stderr: () => undefined };
    let flags = 0;
    for (const [id, spec] of specs) {
      if (!spec.cli || !spec.type || !spec.env) continue;
      for (const command of spec.cli.commands) {
        assert.deepEqual(settingOptions(command)[spec.cli.flag], { type: 'string' }, `${command} --${spec.cli.flag}`);
        const value = sample(spec.type, dir);
        const settings = cliSettings(command, { [spec.cli.flag]: value.text }, io);
        assert.deepEqual(resolvedValue(settings, id), value.resolved, `${command} --${spec.cli.flag}`);
        assert.equal(settings.sources[spec.env as keyof Settings['sources']], 'explicit');
        flags += 1;
      }
    }
    assert.ok(flags >= 9, 'model, api-key and base-url on plan, generate and apply');
  });

  it("names every environment variable in the README's settings table", () => {
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    for (const [, spec] of specs) if (spec.env) assert.ok(readme.includes(`| \`${spec.env}\` |`), spec.env);
  });
});

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { resolveSettings, SettingsError } from '../../server/src/pipeline/settings.js';
import { makeProject, removeProjects } from '../support/tempProject.js';

describe('settings', () => {
  after(removeProjects);

  it('uses the defaults when nothing is set', () => {
    const dir = makeProject({});
    const settings = resolveSettings({ projectDir: dir, environment: {} });
    assert.equal(settings.model, 'openai/gpt-oss-20b:free');
    assert.equal(settings.baseUrl, 'https://openrouter.ai/api/v1');
    assert.equal(settings.outputDir, path.join(dir, '.clockwork/pyinfra'));
    assert.equal(settings.logLevel, 'INFO');
    assert.equal(settings.apiKey, undefined);
    assert.equal(settings.projectName, path.basename(dir));
    assert.equal(settings.aiConcurrency, 4);
    assert.equal(settings.loadTimeoutMs, 10_000);
  });

  it('takes explicit values over the environment, the environment over .env, .env over defaults', () => {
    const dir = makeProject({ '.env': 'OPENROUTER_MODEL=from-dotenv\nLOG_LEVEL=debug\nPROJECT_NAME=dotenv-name\n' });
    const settings = resolveSettings({
      projectDir: dir,
      environment: { OPENROUTER_MODEL: 'from-env', PROJECT_NAME: 'env-name' },
      explicit: { OPENROUTER_MODEL: 'from-flag' },
    });
    assert.equal(settings.model, 'from-flag');
    assert.equal(settings.projectName, 'env-name');
    assert.equal(settings.logLevel, 'DEBUG');
    assert.deepEqual(
      [settings.sources.OPENROUTER_MODEL, settings.sources.PROJECT_NAME, settings.sources.LOG_LEVEL, settings.sources.OPENROUTER_BASE_URL],
      ['explicit', 'environment', '.env', 'default'],
    );
  });

  it('never loads .env into the process environment', () => {
    const dir = makeProject({ '.env': 'CLOCKWORK_TEST_ONLY_VARIABLE=1\n' });
    resolveSettings({ projectDir: dir, environment: {} });
    assert.equal(process.env['CLOCKWORK_TEST_ONLY_VARIABLE'], undefined);
  });

  it('rejects a bad value with the setting, where it came from and what was expected', () => {
    const dir = makeProject({});
    assert.throws(
      () => resolveSettings({ projectDir: dir, environment: { LOG_LEVEL: 'LOUD' } }),
      (error: Error) =>
        error instanceof SettingsError &&
        error.message === 'Invalid configuration:\n  LOG_LEVEL (from the environment): expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got "LOUD"',
    );
  });

  it('points at the line of .env that holds a bad value', () => {
    const dir = makeProject({ '.env': '# settings\nOPENROUTER_MODEL=x\nCLOCKWORK_AI_CONCURRENCY=lots\n' });
    assert.throws(
      () => resolveSettings({ projectDir: dir, environment: {} }),
      (error: Error) => error.message.includes(`CLOCKWORK_AI_CONCURRENCY (from ${path.join(dir, '.env')}:3): expected a whole number from 1 to 64, got "lots"`),
    );
  });

  it('keeps the API key out of every rendering of the settings', () => {
    const dir = makeProject({});
    const key = 'sk-or-v1-SECRET-0123456789';
    const settings = resolveSettings({ projectDir: dir, environment: { OPENROUTER_API_KEY: key } });
    assert.equal(settings.apiKey?.reveal(), key);
    for (const rendering of [JSON.stringify(settings), inspect(settings, { depth: 5 }), String(settings.apiKey), `${settings.apiKey}`]) {
      assert.ok(!rendering.includes(key), rendering);
    }
    assert.equal(settings.apiKey?.redact(`Authorization: Bearer ${key}`), 'Authorization: Bearer [redacted]');
  });
});

import { plan } from '../../pipeline/plan.js';
import { renderPlan } from '../../render/plan.js';
import { cliSettings, settingOptionHelp, settingOptions } from '../settingOptions.js';
import { commonOptionHelp, commonOptions, ExitCode, type Command } from '../command.js';

/** `clockwork plan`: what each resource is, where it goes, and what the AI must write. */
export const planCommand: Command = {
  name: 'plan',
  summary: 'Show what clockwork.ts declares and what the AI would fill in, without changing anything',
  usage: '[--dir DIR] [--json]',
  options: { ...commonOptions, ...settingOptions('plan') },
  optionHelp: { ...commonOptionHelp, ...settingOptionHelp('plan') },
  async run(values, io) {
    const outcome = await plan({ settings: cliSettings('plan', values, io), signal: io.signal });
    io.stdout(values['json'] ? JSON.stringify(outcome.plan, null, 2) : renderPlan(outcome, io.cwd));
    return ExitCode.ok;
  },
};

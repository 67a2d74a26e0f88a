import { plan } from '../../pipeline/plan.js';
import { renderPlan } from '../../render/plan.js';
import { cliSettings, settingOptionHelp, settingOptions } from '../settingOptions.js';
import { commonOptionHelp, commonOptions, ExitCode, hostOption, hostOptionHelp, selectedHosts, type Command } from '../command.js';

/** `clockwork plan`: what each resource is, where it goes, and what the AI must write. */
export const planCommand: Command = {
  name: 'plan',
  summary: 'Show what clockwork.ts declares and what the AI would fill in, without changing anything',
  usage: '[--dir DIR] [--host NAME]... [--json]',
  options: { ...commonOptions, ...hostOption, ...settingOptions('plan') },
  optionHelp: { ...commonOptionHelp, ...hostOptionHelp('what apply would do on this host'), ...settingOptionHelp('plan') },
  async run(values, io) {
    const outcome = await plan({ settings: cliSettings('plan', values, io), signal: io.signal, ...selectedHosts(values) });
    io.stdout(values['json'] ? JSON.stringify(outcome.plan, null, 2) : renderPlan(outcome, io.cwd));
    return ExitCode.ok;
  },
};

/** Every CLI command, in the order --help lists them. */
import type { Command } from '../command.js';
import { planCommand } from './plan.js';

/** The commands of `clockwork`. */
export const commands: readonly Command[] = [planCommand];

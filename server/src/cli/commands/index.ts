/** Every CLI command, in the order --help lists them. */
import type { Command } from '../command.js';
import { generateCommand } from './generate.js';
import { planCommand } from './plan.js';
import { assertCommand } from './assert.js';
import { applyCommand } from './apply.js';
import { destroyCommand } from './destroy.js';
import { setupCommand } from './setup.js';
import { initCommand } from './init.js';

/** The commands of `clockwork`. */
export const commands: readonly Command[] = [initCommand, planCommand, generateCommand, applyCommand, destroyCommand, assertCommand, setupCommand];

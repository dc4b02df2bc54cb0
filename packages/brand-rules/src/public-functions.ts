// The public face of brand-rules' entry points: arguments checked in O(1), only HubspokeErrors escape
// (core's `guarded`); the modules keep the plain functions for internal use.
import { guarded } from '@hubspoke/core';
import * as defineConfig from './config/define-config.js';
import * as linter from './engine/linter.js';

export const createLinter = guarded('createLinter', ['options:object'], linter.createLinter);
export const lint = guarded('lint', ['input:object'], linter.lint);
export const flattenConfig = guarded('flattenConfig', ['config:object', 'presets:object'], defineConfig.flattenConfig);

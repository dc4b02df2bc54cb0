import {
  HubspokeError,
  WorkflowDefSchema,
  canonicalJson,
  parse,
  type Activation,
  type StageDef,
  type WorkflowDef,
} from '@hubspoke/core';
import { sha256 } from './audit/hash-chain.js';
import { checkConditions } from './routing.js';

/** A validated workflow with its content hash, ready for the engine. */
export interface PreparedWorkflow {
  def: WorkflowDef;
  hash: string;
}

const prepared = new WeakMap<object, PreparedWorkflow>();

/** The activation a stage runs with: the first stage on submit, any other once the stage before it is approved. */
export function activationOf(workflow: WorkflowDef, index: number): Activation {
  const stage = workflow.stages[index];
  if (stage?.activation !== undefined) {
    const a = stage.activation;
    if ((a.on === 'approved' || a.on === 'decided') && a.of === undefined) {
      const previous = workflow.stages[index - 1];
      return previous === undefined ? { on: 'submit' } : { on: a.on, of: [previous.id] };
    }
    return a;
  }
  const previous = workflow.stages[index - 1];
  return previous === undefined ? { on: 'submit' } : { on: 'approved', of: [previous.id] };
}

function assertAcyclic(workflow: WorkflowDef): void {
  const deps = new Map<string, string[]>();
  workflow.stages.forEach((s, i) => {
    const a = activationOf(workflow, i);
    deps.set(s.id, a.on === 'approved' || a.on === 'decided' ? (a.of ?? []) : []);
  });
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, trail: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const index = workflow.stages.findIndex((s) => s.id === id);
      throw new HubspokeError(
        'E_VALIDATION',
        `Invalid workflow: workflow.stages[${index}].activation: stages wait on each other in a cycle (${[...trail, id].join(' → ')}), so none would ever start`,
        {
          path: `workflow.stages[${index}].activation`,
        },
      );
    }
    state.set(id, 'visiting');
    for (const dep of deps.get(id) ?? []) visit(dep, [...trail, id]);
    state.set(id, 'done');
  };
  for (const s of workflow.stages) visit(s.id, []);
}

function assertPrimaryAllowed(stage: StageDef, index: number): void {
  if (
    stage.completion.rule === 'quorum' &&
    stage.reviewers.every((r) => 'user' in r) &&
    stage.completion.n > stage.reviewers.length
  ) {
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid workflow: workflow.stages[${index}].completion.n: a quorum of ${stage.completion.n} needs more than the ${stage.reviewers.length} named reviewers`,
      {
        path: `workflow.stages[${index}].completion.n`,
      },
    );
  }
}

/**
 * Validates a workflow definition (schema, routing conditions, activation cycles) once per
 * object and hashes it. Throws `E_VALIDATION` naming the path of the bad value.
 */
export function prepareWorkflow(input: unknown): PreparedWorkflow {
  if (input !== null && typeof input === 'object') {
    const cached = prepared.get(input);
    if (cached !== undefined) return cached;
  }
  const def = parse(WorkflowDefSchema, input, 'workflow');
  checkConditions(def);
  assertAcyclic(def);
  def.stages.forEach(assertPrimaryAllowed);
  const result = { def, hash: sha256(canonicalJson(def)) };
  if (input !== null && typeof input === 'object') prepared.set(input, result);
  prepared.set(def, result);
  return result;
}

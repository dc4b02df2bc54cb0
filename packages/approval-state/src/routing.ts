import {
  HubspokeError,
  type Condition,
  type ConditionOp,
  type FactCondition,
  type RoutingFact,
  type SubmissionFacts,
  type WorkflowDef,
} from '@hubspoke/core';

type Scalar = string | number | boolean;
type FactKind = 'string' | 'list' | 'number' | 'boolean';

const FACT_KINDS: Record<RoutingFact, FactKind> = {
  region: 'string',
  author: 'string',
  locales: 'list',
  newLocales: 'list',
  tags: 'list',
  'change.touchedLockLevels': 'list',
  'lint.errors': 'number',
  'lint.warnings': 'number',
  'change.structural': 'boolean',
  'change.textOnly': 'boolean',
};

/** Which operators make sense for each kind of fact, and what value each wants. */
const OPS: Record<FactKind, Partial<Record<ConditionOp, 'scalar' | 'list' | 'none' | 'number' | 'scalarOrList'>>> = {
  string: { eq: 'scalar', ne: 'scalar', in: 'list', contains: 'scalar', isEmpty: 'none', notEmpty: 'none' },
  list: {
    eq: 'scalarOrList',
    ne: 'scalarOrList',
    contains: 'scalar',
    containsAny: 'list',
    onlyContains: 'list',
    isEmpty: 'none',
    notEmpty: 'none',
  },
  number: { eq: 'number', ne: 'number', in: 'list', gt: 'number', gte: 'number', lt: 'number', lte: 'number' },
  boolean: { eq: 'scalar', ne: 'scalar' },
};

/** The facts a condition reads, with the submission's author. */
export interface RoutingInput {
  facts: SubmissionFacts;
  author: string;
}

function factValue(fact: RoutingFact, { facts, author }: RoutingInput): Scalar | readonly Scalar[] | undefined {
  switch (fact) {
    case 'region':
      return facts.region;
    case 'author':
      return author;
    case 'locales':
      return facts.locales;
    case 'newLocales':
      return facts.newLocales;
    case 'tags':
      return facts.tags;
    case 'change.touchedLockLevels':
      return facts.change.touchedLockLevels;
    case 'lint.errors':
      return facts.lint.errors;
    case 'lint.warnings':
      return facts.lint.warnings;
    case 'change.structural':
      return facts.change.structural;
    case 'change.textOnly':
      return facts.change.textOnly;
  }
}

function asList(value: FactCondition['value']): readonly Scalar[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function sameMembers(a: readonly Scalar[], b: readonly Scalar[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
}

function testFact(c: FactCondition, input: RoutingInput): boolean {
  const actual = factValue(c.fact, input);
  const expected = c.value;
  if (Array.isArray(actual)) {
    const list: readonly Scalar[] = actual;
    switch (c.op) {
      case 'eq':
        return sameMembers(list, asList(expected));
      case 'ne':
        return !sameMembers(list, asList(expected));
      case 'contains':
        return list.includes(expected as Scalar);
      case 'containsAny':
        return asList(expected).some((v) => list.includes(v));
      case 'onlyContains': {
        const allowed = asList(expected);
        return list.every((v) => allowed.includes(v));
      }
      case 'isEmpty':
        return list.length === 0;
      case 'notEmpty':
        return list.length > 0;
      case 'in':
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        return false;
    }
  }
  const scalar = actual as Scalar | undefined;
  switch (c.op) {
    case 'eq':
      return scalar === expected;
    case 'ne':
      return scalar !== expected;
    case 'in':
      return scalar !== undefined && asList(expected).includes(scalar);
    case 'contains':
      return typeof scalar === 'string' && typeof expected === 'string' && scalar.includes(expected);
    case 'isEmpty':
      return scalar === undefined || scalar === '';
    case 'notEmpty':
      return scalar !== undefined && scalar !== '';
    case 'gt':
      return typeof scalar === 'number' && scalar > Number(expected);
    case 'gte':
      return typeof scalar === 'number' && scalar >= Number(expected);
    case 'lt':
      return typeof scalar === 'number' && scalar < Number(expected);
    case 'lte':
      return typeof scalar === 'number' && scalar <= Number(expected);
    case 'containsAny':
    case 'onlyContains':
      return false;
  }
}

/** Does `condition` hold for the submission? Pure; a condition that passed {@link checkConditions} never throws. */
export function evaluateCondition(condition: Condition, input: RoutingInput): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, input));
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, input));
  if ('not' in condition) return !evaluateCondition(condition.not, input);
  return testFact(condition, input);
}

function valueFits(
  want: 'scalar' | 'list' | 'none' | 'number' | 'scalarOrList',
  value: FactCondition['value'],
  kind: FactKind,
): string | undefined {
  switch (want) {
    case 'none':
      return value === undefined ? undefined : 'expected no value';
    case 'list':
      return Array.isArray(value) ? undefined : 'expected a list value';
    case 'number':
      return typeof value === 'number' ? undefined : 'expected a number value';
    case 'scalarOrList':
      return value === undefined ? 'expected a value' : undefined;
    case 'scalar':
      if (value === undefined || Array.isArray(value)) return 'expected a single value';
      if (kind === 'boolean' && typeof value !== 'boolean') return 'expected true or false';
      return undefined;
  }
}

function checkCondition(condition: Condition, path: string): void {
  if ('all' in condition) {
    condition.all.forEach((c, i) => {
      checkCondition(c, `${path}.all[${i}]`);
    });
    return;
  }
  if ('any' in condition) {
    condition.any.forEach((c, i) => {
      checkCondition(c, `${path}.any[${i}]`);
    });
    return;
  }
  if ('not' in condition) {
    checkCondition(condition.not, `${path}.not`);
    return;
  }
  const kind = FACT_KINDS[condition.fact];
  const want = OPS[kind][condition.op];
  if (want === undefined) {
    const allowed = Object.keys(OPS[kind]).join(', ');
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid workflow: ${path}: "${condition.op}" does not apply to ${condition.fact} (a ${kind}); use one of ${allowed}`,
      { path },
    );
  }
  const problem = valueFits(want, condition.value, kind);
  if (problem !== undefined) {
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid workflow: ${path}.value: ${problem} for "${condition.op}" on ${condition.fact}`,
      { path: `${path}.value` },
    );
  }
}

/** Rejects conditions whose operator or value cannot apply to their fact, naming the path. */
export function checkConditions(workflow: WorkflowDef): void {
  workflow.stages.forEach((stage, i) => {
    if (stage.when !== undefined) checkCondition(stage.when, `workflow.stages[${i}].when`);
  });
}

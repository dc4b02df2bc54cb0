import { addUsage, ZERO_USAGE, type Cost, type Usage } from './provider.js';
import type { AssistTask } from './tasks.js';

/** One provider call made by a task: who answered, what it used and cost. */
export interface CallReport {
  task: AssistTask['kind'];
  provider: string;
  model: string;
  usage: Usage;
  cost?: Cost;
  attempts: number;
  durationMs: number;
  notice?: string;
}

interface Answered {
  provider: string;
  model: string;
  usage: Usage;
  cost?: Cost;
  attempts: number;
  durationMs: number;
  notice?: string;
}

export function callReport(task: AssistTask['kind'], answered: Answered): CallReport {
  const { provider, model, usage, cost, attempts, durationMs, notice } = answered;
  return { task, provider, model, usage, ...(cost === undefined ? {} : { cost }), attempts, durationMs, ...(notice === undefined ? {} : { notice }) };
}

/** Usage and cost over calls; cost only when every priced call uses one currency. */
export function totals(calls: readonly CallReport[]): { usage: Usage; cost?: Cost; notices: string[] } {
  const usage = calls.reduce<Usage>((sum, c) => addUsage(sum, c.usage), ZERO_USAGE);
  const priced = calls.flatMap((c) => (c.cost === undefined ? [] : [c.cost]));
  const currencies = new Set(priced.map((c) => c.currency));
  const notices = [...new Set(calls.flatMap((c) => (c.notice === undefined ? [] : [c.notice])))];
  const [currency] = currencies;
  if (currency === undefined || currencies.size > 1) return { usage, notices };
  return { usage, cost: { amount: priced.reduce((n, c) => n + c.amount, 0), currency }, notices };
}

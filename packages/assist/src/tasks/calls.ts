import { addUsage, ZERO_USAGE, type CallFacts, type Cost, type Usage } from '../providers/provider.js';
import type { AssistTask } from './tasks.js';

/** One provider call made by a task: who answered, what it used and cost. */
export interface CallReport extends CallFacts {
  task: AssistTask['kind'];
}

/** What every task result reports about its provider calls. */
export interface CallTotals {
  calls: CallReport[];
  usage: Usage;
  cost?: Cost;
  /** Plain statements from providers, e.g. that the output is rule-based. */
  notices: string[];
}

export function callReport(task: AssistTask['kind'], answered: CallFacts): CallReport {
  const { provider, model, usage, cost, attempts, durationMs, notice } = answered;
  return {
    task,
    provider,
    model,
    usage,
    ...(cost === undefined ? {} : { cost }),
    attempts,
    durationMs,
    ...(notice === undefined ? {} : { notice }),
  };
}

/** The calls with their summed usage; cost only when every priced call uses one currency. */
export function totals(calls: CallReport[]): CallTotals {
  const usage = calls.reduce<Usage>((sum, c) => addUsage(sum, c.usage), ZERO_USAGE);
  const priced = calls.flatMap((c) => (c.cost === undefined ? [] : [c.cost]));
  const currencies = new Set(priced.map((c) => c.currency));
  const notices = [...new Set(calls.flatMap((c) => (c.notice === undefined ? [] : [c.notice])))];
  const [currency] = currencies;
  if (currency === undefined || currencies.size > 1) return { calls, usage, notices };
  return { calls, usage, cost: { amount: priced.reduce((n, c) => n + c.amount, 0), currency }, notices };
}

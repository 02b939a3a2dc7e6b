/** A decimal number written as a string, e.g. "1234.50". Never a JS number. */
export type Decimal = string;
/** An ISO 8601 date, e.g. "2026-03-31". */
export type IsoDate = string;
/** An ISO 4217 currency code, e.g. "USD". */
export type CurrencyCode = string;
export interface Money { amount: Decimal; currency: CurrencyCode; }
export type Rounding = "half_even" | "half_up" | "half_down" | "up" | "down" | "ceiling" | "floor";
export type PeriodKind = "day" | "week" | "month" | "quarter" | "year" | "fiscal_quarter" | "fiscal_year";
export type WeekdayName = "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday";
export interface Calendar { week_start?: WeekdayName; fiscal_year_start_month?: number; fiscal_year_name?: "end_year" | "start_year"; }
export interface DateRange { start: IsoDate; end: IsoDate; }
export interface Period { kind: PeriodKind; label: string; start: IsoDate; end: IsoDate; days: number; }
export interface Rate { from: CurrencyCode; to: CurrencyCode; rate: Decimal; effective: IsoDate; }

/** Stable error codes carried by `SalesopsError.code`. */
export type ErrorCode = "invalid_input" | "invalid_transition" | "guard_failed" | "currency_mismatch"
  | "overflow" | "not_found" | "conflict" | "permission_denied" | "unknown_op" | "internal";
/** What every failed call throws: a real `Error` with a stable `code`. */
export interface SalesopsError extends Error { code: ErrorCode; field?: string; }

/** Every operation's input and output document, by name. */
export interface Ops {
  "meta.version": { input: Record<string, never>; output: { name: string; version: string; ops: { name: string; summary: string }[] } };
  "money.round": { input: { money: Money; mode?: Rounding; scale?: number }; output: { money: Money } };
  "money.allocate": { input: { total: Money; weights?: Decimal[]; percentages?: Decimal[]; scale?: number }; output: { parts: Money[] } };
  "money.convert": {
    input: { money: Money; to: CurrencyCode; on: IsoDate; rates: Rate[]; mode?: Rounding; scale?: number };
    output: { money: Money; rate: Decimal; effective: IsoDate | null; inverted: boolean };
  };
  "period.of": { input: { date: IsoDate; kind: PeriodKind; calendar?: Calendar }; output: { period: Period } };
  "period.range": { input: { from: IsoDate; to: IsoDate; kind: PeriodKind; calendar?: Calendar }; output: { periods: Period[] } };
  "period.prorate": {
    input: { amount: Money; period: DateRange; active: DateRange; mode?: Rounding; scale?: number };
    output: { amount: Money; active_days: number; period_days: number };
  };
}
export type OpName = keyof Ops;

/** Run an operation on a document; throws a `SalesopsError` on failure. */
export function call<K extends OpName>(op: K, input: Ops[K]["input"]): Ops[K]["output"];
/** Run an operation on a JSON text; returns the canonical JSON output text. */
export function callJson(op: OpName | string, input: string): string;

/* Commission engine documents (issue 4). Reuses Decimal, IsoDate, CurrencyCode, Money,
   Rounding, PeriodKind, Calendar, DateRange and Rate from foundation.d.ts. */

export type TierMode = "band" | "marginal" | "retroactive" | "interpolated";
/** Which tier an amount exactly on a boundary belongs to. */
export type TierBoundary = "lower" | "upper";
/** What the table's bounds measure: the base itself, or quota attainment in percent. */
export type TierMeasure = "amount" | "attainment";
/** Where each transaction's walk starts: zero, the period to date, the year to date. */
export type TierScope = "transaction" | "period" | "year";
export interface TierSpec { from: Decimal; to?: Decimal; rate: Decimal; }
export interface CurvePoint { at: Decimal; amount: Decimal; }
export interface TierTableSpec {
  mode: TierMode; boundary?: TierBoundary; measure?: TierMeasure; scope?: TierScope;
  /** Every mode but interpolated: contiguous from 0, last one open-ended. */
  tiers?: TierSpec[];
  /** Interpolated only: at least two points, ascending `at`. */
  points?: CurvePoint[];
}

export type RuleType = "rate" | "tiered" | "fixed" | "bonus" | "override";
export type CommissionBase = "revenue" | "margin" | "quantity";
export type DealKind = "new" | "renewal";
export interface CommissionFilter {
  products?: string[]; categories?: string[]; kinds?: DealKind[]; regions?: string[]; channels?: string[];
}
export interface CommissionLimits { line?: Decimal; deal?: Decimal; period?: Decimal; }
export interface RuleSpec {
  id: string; type: RuleType; base?: CommissionBase;
  /** Percent (or amount per unit for a quantity base): `rate` and `override`. */
  rate?: Decimal;
  table?: TierTableSpec;
  /** `fixed` and `bonus`. */
  amount?: Decimal;
  min_quantity?: Decimal; frequency?: "every_time" | "once";
  /** `bonus`: the attainment milestone in percent. */
  attainment?: Decimal;
  filter?: CommissionFilter; window?: DateRange;
  cap?: CommissionLimits; minimum?: CommissionLimits;
  /** Nothing is paid under the rule below this period attainment (percent). */
  threshold?: Decimal;
  margin_floor?: boolean;
  depth?: "direct" | "all";
}
export type PayOn = "booking" | "invoice" | "payment";
export interface ClawbackPolicySpec {
  window_days: number; basis?: "original_rate" | "original_amount" | "retier"; reduces_attainment?: boolean;
}
export interface DrawSpec { amount: Decimal; kind: "advance" | "guarantee"; recoverable: boolean; }
export interface PlanVersionSpec {
  id: string; effective: { start: IsoDate; end?: IsoDate }; pay_on?: PayOn;
  rules?: RuleSpec[]; clawback?: ClawbackPolicySpec; draw?: DrawSpec;
}
export interface RoundingPolicy { mode?: Rounding; level?: "line" | "statement"; }
export interface PlanSpec {
  id: string; currency: CurrencyCode; rounding?: RoundingPolicy; period?: PeriodKind; calendar?: Calendar;
  versions: PlanVersionSpec[];
}
export interface PayeeSpec {
  id: string; plan: string; quota?: Money; annual_quota?: Money; active?: DateRange; manager?: string; draw_balance?: Decimal;
}
export interface CreditSpec {
  id: string; date: IsoDate; amount: Money; cost?: Money; quantity?: Decimal;
  product?: string; category?: string; kind?: DealKind; region?: string; channel?: string; deal?: string;
  /** Exactly one of `payee` and `splits` (percentages adding up to exactly 100). */
  payee?: string; splits?: { payee: string; percent: Decimal }[];
  invoice_date?: IsoDate; payments?: { date: IsoDate; amount: Money }[];
}
export interface CommissionEventSpec {
  credit: string; date: IsoDate; type: "refund" | "cancellation" | "churn"; amount?: Money;
}
export interface CommissionInput {
  period: DateRange; plans: PlanSpec[]; payees: PayeeSpec[]; credits?: CreditSpec[];
  events?: CommissionEventSpec[]; rates?: Rate[];
  /** Threads `compute` may use natively (1 to 256, default 1); WebAssembly uses one. Never changes the result. */
  threads?: number;
}

export type StatementLineKind = "commission" | "retro" | "fixed" | "bonus" | "override" | "minimum" | "cap"
  | "threshold" | "clawback" | "rounding" | "draw_advance" | "draw_top_up" | "draw_recovery";
export interface StatementLine {
  kind: StatementLineKind; amount: Decimal;
  rule?: string; version?: string; credit?: string; deal?: string; date?: IsoDate;
  split?: Decimal; fx?: { rate: Decimal; effective: IsoDate };
  base?: Decimal; rate?: Decimal; tier?: number; note?: string;
}
export interface Statement {
  payee: string; plan: string; currency: CurrencyCode; period: DateRange;
  rounding: { mode: Rounding; level: "line" | "statement" };
  lines: StatementLine[];
  totals: { earnings: Decimal; draws: Decimal; payout: Decimal };
  attainment: { credited: Decimal; quota?: Decimal; percent?: Decimal };
  draw_balance?: { opening: Decimal; closing: Decimal };
}
export interface AdjustmentLine {
  kind: StatementLineKind; rule?: string; version?: string; credit?: string; deal?: string; tier?: number;
  previous: Decimal; current: Decimal; amount: Decimal;
}
export interface Adjustment { payee: string; period: DateRange; lines: AdjustmentLine[]; total: Decimal; }

export interface Ops {
  "commission.validate_plan": {
    input: { plan: PlanSpec };
    output: {
      plan: string; currency: CurrencyCode;
      versions: { id: string; start: IsoDate; end?: IsoDate; pay_on: PayOn; rules: { id: string; type: RuleType; mode?: TierMode }[] }[];
    };
  };
  "commission.compute": { input: CommissionInput; output: { statements: Statement[] } };
  "commission.recalculate": {
    input: { previous: { statements: Statement[] }; input: CommissionInput };
    output: { statements: Statement[]; adjustments: Adjustment[] };
  };
  "commission.explain": {
    input: { input: CommissionInput; payee: string; credit?: string };
    output: { payee: string; credit?: string; lines: StatementLine[]; total: Decimal; steps: string[] };
  };
  "commission.evaluate_tiers": {
    input: { table: TierTableSpec; amounts: Decimal[]; quota?: Decimal; start?: Decimal; per_unit?: boolean; mode?: Rounding; scale?: number };
    output: { payouts: Decimal[]; total: Decimal };
  };
}

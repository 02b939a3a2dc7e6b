/* Reorder engine: stock positions, policies, proposals and alerts (see docs/reorder.md).
   Quantities are Decimal strings without trailing zeros; day counts are JSON integers. */

export type SupplyKind = "purchase_order" | "draft_proposal" | "in_transit";
export type DemandKind = "reserved" | "backordered";
export interface SupplyLine { id: string; kind: SupplyKind; quantity: Decimal; date?: IsoDate; }
export interface DemandLine { id: string; kind: DemandKind; quantity: Decimal; date?: IsoDate; }
/** Stock of one item at one location; every line id unique within it. */
export interface Stock {
  on_hand: Decimal;
  allow_negative_on_hand?: boolean;
  supply?: SupplyLine[];
  demand?: DemandLine[];
}
export interface StockPosition {
  on_hand: Decimal; purchase_order: Decimal; draft_proposal: Decimal; in_transit: Decimal; on_order: Decimal;
  reserved: Decimal; backordered: Decimal; available: Decimal; position: Decimal;
  horizon?: IsoDate; beyond_horizon?: string[];
}

/** Rounding of computed quantities; default `{scale: 0, mode: "up"}` (whole units, up). */
export interface QuantityRounding { scale?: number; mode?: Rounding; }
export type Trigger = "below" | "at_or_below";
export interface EoqInput {
  annual_demand?: Decimal;
  order_cost: Money;
  holding_cost?: Money;
  holding_rate?: Decimal;
  unit_cost?: Money;
  rounding?: QuantityRounding;
}
/** Exactly one key. */
export type ReorderPolicy =
  | { min_max: { min: Decimal; max: Decimal; trigger?: Trigger } }
  | { reorder_level: { level: Decimal; quantity: Decimal; trigger?: Trigger } }
  | { s_q: { reorder_point?: Decimal; quantity?: Decimal; eoq?: EoqInput; trigger?: Trigger } }
  | { s_s: { reorder_point?: Decimal; order_up_to: Decimal; trigger?: Trigger } }
  | { periodic: { every_days?: number; anchor?: IsoDate; review_dates?: IsoDate[]; order_up_to?: Decimal; trigger?: Trigger } }
  | { days_of_cover: { min_days: Decimal; max_days: Decimal; trigger?: Trigger } };
export type PackRounding = "up" | "down_cap_at_max" | "down_never_zero";
export interface OrderConstraints {
  min_quantity?: Decimal;
  multiple?: Decimal;
  pack_rounding?: PackRounding;
  max_quantity?: Decimal;
  purchase_unit?: { name: string; factor: Decimal };
}
export interface LeadTime { supplier_days?: number; purchase_days?: number; transfer_days?: number; std_dev_days?: Decimal; }
export interface Sale { date: IsoDate; quantity: Decimal; }
export interface SalesHistory {
  from: IsoDate;
  to: IsoDate;
  sales?: Sale[];
  /** Instead of `sales`: one value per day of the window. */
  daily?: Decimal[];
  stockout_days?: IsoDate[];
  exclude_stockout_days?: boolean;
  method?: "average" | "exponential_smoothing";
  alpha?: Decimal;
  deviation?: "sample" | "population";
  seasonality?: { monthly: Decimal[]; target: IsoDate };
  scale?: number;
}
export interface DemandEstimate {
  days: number; counted_days: number; total: Decimal; mean: Decimal; daily: Decimal; std_dev: Decimal; ignored_sales: number;
}
/** Exactly one key. */
export type SafetyStockRule = { quantity: Decimal } | { days: Decimal } | { z: Decimal } | { service_level: Decimal };
export interface ReorderItem {
  item: string;
  location: string;
  supplier?: string;
  stock: Stock;
  policy: ReorderPolicy;
  order?: OrderConstraints;
  lead_time?: LeadTime;
  demand?: { rate: { daily: Decimal; std_dev?: Decimal } } | { history: SalesHistory };
  safety_stock?: SafetyStockRule;
  override?: { quantity: Decimal; reason?: string };
  rounding?: QuantityRounding;
}
export type SizingRule = "convert" | "round" | "min_quantity" | "multiple" | "max_quantity";
export interface ReorderProposal {
  item: string;
  location: string;
  supplier?: string;
  policy: "min_max" | "reorder_level" | "s_q" | "s_s" | "periodic" | "days_of_cover";
  quantity: Decimal;
  unit?: string;
  stock_quantity: Decimal;
  order_by: IsoDate;
  arrival: IsoDate;
  reason: { text: string; position: Decimal; trigger_level: Decimal; need: Decimal; steps: { rule: SizingRule; quantity: Decimal }[] };
}
export type ReorderAlertKind =
  | "negative_on_hand" | "below_safety_stock" | "stockout_projected" | "rounded_to_zero" | "capped" | "above_max";
export interface ReorderAlert { item: string; location: string; kind: ReorderAlertKind; quantity: Decimal; level: Decimal; date?: IsoDate; }

export interface Ops {
  "reorder.position": { input: { stock: Stock; horizon?: IsoDate }; output: StockPosition };
  "reorder.evaluate": {
    input: { today: IsoDate; items: ReorderItem[]; time_phased?: { visibility_days?: number } };
    output: { proposals: ReorderProposal[]; alerts: ReorderAlert[] };
  };
  "reorder.safety_stock": {
    input: {
      demand: { mean: Decimal; std_dev?: Decimal };
      lead_time: { mean: Decimal; std_dev?: Decimal };
      safety_stock?: SafetyStockRule;
      rounding?: QuantityRounding;
    };
    output: { z?: Decimal; safety_stock: Decimal; lead_time_demand: Decimal; reorder_point: Decimal };
  };
  "reorder.eoq": {
    input: EoqInput & { annual_demand: Decimal };
    output: {
      eoq: Decimal; orders_per_year: Decimal; holding_cost: Money;
      annual_ordering_cost: Money; annual_holding_cost: Money; total_annual_cost: Money;
    };
  };
  "reorder.demand": { input: SalesHistory; output: DemandEstimate };
}

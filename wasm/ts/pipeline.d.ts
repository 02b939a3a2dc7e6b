/** An RFC 3339 instant, e.g. "2026-03-18T16:00:00Z" (any offset is accepted; outputs are UTC). */
export type PipelineInstant = string;

export type PipelineStageKind = "open" | "won" | "lost" | "closed";
export type StageForecastCategory = "pipeline" | "best_case" | "commit" | "omitted" | "closed";
export type PipelineMoveMode = "explicit" | "any_open";
export type ProbabilityOnMove = "reset_to_stage" | "keep_override" | "keep_override_until_closed";
export type DefaultPipelineName = "lead" | "deal" | "quote" | "order" | "invoice" | "contract" | "task" | "ticket";

export type PipelineGuardSpec =
  | { kind: "required"; fields: string[] }
  | { kind: "amount_positive" }
  | { kind: "close_date_set" }
  | { kind: "credit_limit" }
  | { kind: "discount_approval"; threshold: Decimal; approval: string }
  | { kind: "role"; roles: string[] }
  | { kind: "all"; guards: PipelineGuardSpec[] }
  | { kind: "any"; guards: PipelineGuardSpec[] };

export type PipelineCreditEvent = "booking" | "invoice" | "payment";
export type PipelineEffectSpec =
  | { kind: "create_task"; title: string; assignee: "owner" | "manager"; due_in_days: number }
  | { kind: "reminder"; message: string; in_days: number }
  | { kind: "convert_lead" }
  | { kind: "create_order_draft" }
  | { kind: "reserve_stock" }
  | { kind: "commission_credit"; event: PipelineCreditEvent };

export interface PipelineStageSpec {
  id: string; label?: string; kind: PipelineStageKind; probability?: number; forecast_category?: StageForecastCategory;
  stale_after_days?: number; reason_required?: boolean; description?: string;
}
export interface PipelineTransitionSpec {
  /** A stage id, or "*" for every open stage. */
  from: string; to: string; guards?: PipelineGuardSpec[]; effects?: PipelineEffectSpec[];
  reason_required?: boolean; reopen?: boolean; description?: string;
}
export interface CustomFieldSpec {
  name: string; type: "text" | "decimal" | "integer" | "date" | "bool" | "enum"; values?: string[]; description?: string;
}
export interface PipelineDefinition {
  id: string; label?: string; description?: string; initial: string; stages: PipelineStageSpec[];
  mode?: PipelineMoveMode; transitions?: PipelineTransitionSpec[]; lost_reasons?: string[]; fields?: CustomFieldSpec[];
  probability_on_move?: ProbabilityOnMove;
}
/** Either a default pipeline by name or a full definition, never both. */
export type PipelineRef = { pipeline: DefaultPipelineName | string; definition?: never } | { definition: PipelineDefinition; pipeline?: never };

export interface StageHistoryEntry { at: PipelineInstant; by: string; from: string; to: string; reason?: string; }
export interface WinProbability { value: number; source: "stage" | "override"; }
export type CustomFieldValue = string | number | boolean;
export interface PipelineRecord {
  id: string; stage: string; owner?: string; amount?: Money; customer?: string; created_at: PipelineInstant;
  close_date?: IsoDate; due_date?: IsoDate; valid_until?: IsoDate; renewal_date?: IsoDate;
  discount_percent?: Decimal; probability?: WinProbability; lost_reason?: string; lost_at_stage?: string;
  closed_at?: PipelineInstant; last_activity_at?: PipelineInstant; fields?: Record<string, CustomFieldValue>; history?: StageHistoryEntry[];
}
export interface PipelineMove { to: string; reason?: string; probability?: number; }
export interface PipelineActor { id: string; roles?: string[]; }
export interface PipelineContext {
  approvals?: string[]; credit?: { limit: Money; open_receivables: Money }; manager?: string;
}

export type PipelineEffect =
  | { kind: "create_task"; record: string; title: string; assignee: "owner" | "manager"; assignee_id?: string; due_at: PipelineInstant }
  | { kind: "reminder"; record: string; message: string; at: PipelineInstant; to?: string }
  | { kind: "convert_lead"; record: string; customer?: string; amount?: Money; owner?: string }
  | { kind: "create_order_draft"; record: string; customer?: string; amount?: Money; owner?: string }
  | { kind: "reserve_stock"; record: string }
  | { kind: "commission_credit"; record: string; event: PipelineCreditEvent; payee?: string; amount?: Money };

export interface PipelineApplied { record: PipelineRecord; entry: StageHistoryEntry; effects: PipelineEffect[]; }
export interface PipelineItemError { code: ErrorCode; field?: string; guard?: string; from?: string; to?: string; }
export type PipelineBulkResult =
  | ({ status: "applied"; index: number } & PipelineApplied)
  | { status: "refused"; index: number; error: PipelineItemError }
  | { status: "not_applied"; index: number };

export type PipelineSweepEvent =
  | { kind: "overdue"; record: string; stage: string; due_date: IsoDate; days_overdue: number }
  | { kind: "expired"; record: string; stage: string; valid_until: IsoDate; days_past: number }
  | { kind: "renewal_due"; record: string; stage: string; renewal_date: IsoDate; days_left: number }
  | { kind: "stale"; record: string; stage: string; idle_days: number; stale_after_days: number }
  | { kind: "return_to_pool"; record: string; owner: string; idle_days: number };

export interface PipelineStageDuration { stage: string; seconds: Decimal; days: Decimal; visits: number; }
export interface PipelineRep {
  id: string; regions?: string[]; districts?: string[]; skills?: string[]; open_load?: number; capacity?: number; available?: boolean;
}
export interface PipelineAssignItem { id: string; region?: string; district?: string; product?: string; }
export interface DedupeContact { id?: string; owner?: string; phone?: string; email?: string; company?: string; }

export interface Ops {
  "pipeline.defaults": {
    input: { name?: DefaultPipelineName | string };
    output: { names: DefaultPipelineName[] } | { definition: PipelineDefinition };
  };
  "pipeline.extend": {
    input: PipelineRef & {
      extend: {
        id?: string; insert?: { after: string; stage: PipelineStageSpec }[]; transitions?: PipelineTransitionSpec[];
        lost_reasons?: string[]; fields?: CustomFieldSpec[];
      };
    };
    output: { definition: PipelineDefinition };
  };
  "pipeline.validate": {
    input: { definition: PipelineDefinition };
    output: {
      id: string; initial: string; mode: PipelineMoveMode; probability_on_move: ProbabilityOnMove;
      stages: { id: string; label: string; kind: PipelineStageKind; order: number; probability: number; forecast_category: StageForecastCategory; stale_after_days?: number; reason_required: boolean }[];
      moves: { from: string; to: string; declared: boolean; reopen: boolean; guards: number; effects: number }[];
    };
  };
  "pipeline.apply": {
    input: PipelineRef & { record: PipelineRecord; move: PipelineMove; actor: PipelineActor; now: PipelineInstant; context?: PipelineContext };
    output: PipelineApplied;
  };
  "pipeline.apply_bulk": {
    input: PipelineRef & {
      items: { record: PipelineRecord; move: PipelineMove; context?: PipelineContext }[];
      actor: PipelineActor; now: PipelineInstant; context?: PipelineContext; atomic?: boolean;
    };
    output: { committed: boolean; applied: number; refused: number; results: PipelineBulkResult[] };
  };
  "pipeline.durations": {
    input: PipelineRef & { record: PipelineRecord; as_of: PipelineInstant };
    output: { record: string; stage: string; stages: PipelineStageDuration[]; age_seconds: Decimal };
  };
  "pipeline.stage_at": {
    input: PipelineRef & { record: PipelineRecord; at: PipelineInstant };
    output: { stage: string | null };
  };
  "pipeline.funnel": {
    input: PipelineRef & { records: PipelineRecord[]; as_of: PipelineInstant; reach?: "strict" | "implied" };
    output: { records: number; stages: { stage: string; reached: number; current: number; lost_from: number }[] };
  };
  "pipeline.forecast": {
    input: PipelineRef & { records: PipelineRecord[]; period?: PeriodKind; calendar?: Calendar; by_owner?: boolean };
    output: {
      groups: {
        period: string; start: IsoDate; end: IsoDate; owner?: string | null; count: number;
        amount: Money; weighted: Money; won_count: number; won_amount: Money;
      }[];
      unscheduled: string[];
    };
  };
  "pipeline.reassign": {
    input: PipelineRef & { items: { record: PipelineRecord; owner: string }[]; now: PipelineInstant; atomic?: boolean };
    output: {
      committed: boolean; applied: number; refused: number;
      results: ({ status: "applied"; index: number; record: PipelineRecord } | { status: "refused"; index: number; error: PipelineItemError } | { status: "not_applied"; index: number })[];
    };
  };
  "pipeline.sweep": {
    input: PipelineRef & { records: PipelineRecord[]; now: PipelineInstant; rules?: { renewal_notice_days?: number; pool_after_days?: number } };
    output: { events: PipelineSweepEvent[] };
  };
  "pipeline.assign": {
    input: { strategy: "round_robin" | "territory" | "least_load" | "skill"; reps: PipelineRep[]; items: PipelineAssignItem[]; last_assigned?: string };
    output: {
      assignments: { item: string; rep: string | null; by: "round_robin" | "least_load" | "district" | "region" | "skill" | "none" }[];
      loads: { rep: string; open_load: number }[];
      last_assigned?: string;
    };
  };
  "pipeline.claim": {
    input: PipelineRef & { record: PipelineRecord; rep: string; held: number; limit: number; now: PipelineInstant };
    output: { record: PipelineRecord };
  };
  "pipeline.release": {
    input: PipelineRef & { record: PipelineRecord };
    output: { record: PipelineRecord };
  };
  "pipeline.dedupe": {
    input: { candidate: DedupeContact; existing: DedupeContact[]; default_country_code?: string };
    output: {
      duplicate: boolean;
      matches: { id?: string; owner?: string; on: ("email" | "phone" | "company")[] }[];
      normalized: { email?: string; phone?: string; company?: string };
    };
  };
}

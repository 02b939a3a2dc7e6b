/** An RFC 3339 instant, e.g. "2026-03-18T16:00:00Z" (any offset is accepted; outputs are UTC). */
export type Instant = string;

export type StageKind = "open" | "won" | "lost" | "closed";
export type ForecastCategory = "pipeline" | "best_case" | "commit" | "omitted" | "closed";
export type MoveMode = "explicit" | "any_open";
export type ProbabilityOnMove = "reset_to_stage" | "keep_override" | "keep_override_until_closed";
export type DefaultPipelineName = "lead" | "deal" | "quote" | "order" | "invoice" | "contract" | "task" | "ticket";

export type GuardSpec =
  | { kind: "required"; fields: string[] }
  | { kind: "amount_positive" }
  | { kind: "close_date_set" }
  | { kind: "credit_limit" }
  | { kind: "discount_approval"; threshold: Decimal; approval: string }
  | { kind: "role"; roles: string[] }
  | { kind: "all"; guards: GuardSpec[] }
  | { kind: "any"; guards: GuardSpec[] };

export type CreditEvent = "booking" | "invoice" | "payment";
export type EffectSpec =
  | { kind: "create_task"; title: string; assignee: "owner" | "manager"; due_in_days: number }
  | { kind: "reminder"; message: string; in_days: number }
  | { kind: "convert_lead" }
  | { kind: "create_order_draft" }
  | { kind: "reserve_stock" }
  | { kind: "commission_credit"; event: CreditEvent };

export interface StageSpec {
  id: string; label?: string; kind: StageKind; probability?: number; forecast_category?: ForecastCategory;
  stale_after_days?: number; reason_required?: boolean; description?: string;
}
export interface TransitionSpec {
  /** A stage id, or "*" for every open stage. */
  from: string; to: string; guards?: GuardSpec[]; effects?: EffectSpec[];
  reason_required?: boolean; reopen?: boolean; description?: string;
}
export interface FieldSpec {
  name: string; type: "text" | "decimal" | "integer" | "date" | "bool" | "enum"; values?: string[]; description?: string;
}
export interface PipelineDefinition {
  id: string; label?: string; description?: string; initial: string; stages: StageSpec[];
  mode?: MoveMode; transitions?: TransitionSpec[]; lost_reasons?: string[]; fields?: FieldSpec[];
  probability_on_move?: ProbabilityOnMove;
}
/** Either a default pipeline by name or a full definition, never both. */
export type PipelineRef = { pipeline: DefaultPipelineName | string; definition?: never } | { definition: PipelineDefinition; pipeline?: never };

export interface HistoryEntry { at: Instant; by: string; from: string; to: string; reason?: string; }
export interface Probability { value: number; source: "stage" | "override"; }
export type FieldValue = string | number | boolean;
export interface PipelineRecord {
  id: string; stage: string; owner?: string; amount?: Money; customer?: string; created_at: Instant;
  close_date?: IsoDate; due_date?: IsoDate; valid_until?: IsoDate; renewal_date?: IsoDate;
  discount_percent?: Decimal; probability?: Probability; lost_reason?: string; lost_at_stage?: string;
  closed_at?: Instant; last_activity_at?: Instant; fields?: Record<string, FieldValue>; history?: HistoryEntry[];
}
export interface PipelineMove { to: string; reason?: string; probability?: number; }
export interface PipelineActor { id: string; roles?: string[]; }
export interface PipelineContext {
  approvals?: string[]; credit?: { limit: Money; open_receivables: Money }; manager?: string;
}

export type PlannedEffect =
  | { kind: "create_task"; record: string; title: string; assignee: "owner" | "manager"; assignee_id?: string; due_at: Instant }
  | { kind: "reminder"; record: string; message: string; at: Instant; to?: string }
  | { kind: "convert_lead"; record: string; customer?: string; amount?: Money; owner?: string }
  | { kind: "create_order_draft"; record: string; customer?: string; amount?: Money; owner?: string }
  | { kind: "reserve_stock"; record: string }
  | { kind: "commission_credit"; record: string; event: CreditEvent; payee?: string; amount?: Money };

export interface Applied { record: PipelineRecord; entry: HistoryEntry; effects: PlannedEffect[]; }
export interface ItemError { code: ErrorCode; field?: string; guard?: string; from?: string; to?: string; }
export type BulkResult =
  | ({ status: "applied"; index: number } & Applied)
  | { status: "refused"; index: number; error: ItemError }
  | { status: "not_applied"; index: number };

export type SweepEvent =
  | { kind: "overdue"; record: string; stage: string; due_date: IsoDate; days_overdue: number }
  | { kind: "expired"; record: string; stage: string; valid_until: IsoDate; days_past: number }
  | { kind: "renewal_due"; record: string; stage: string; renewal_date: IsoDate; days_left: number }
  | { kind: "stale"; record: string; stage: string; idle_days: number; stale_after_days: number }
  | { kind: "return_to_pool"; record: string; owner: string; idle_days: number };

export interface StageDuration { stage: string; seconds: Decimal; days: Decimal; visits: number; }
export interface Rep {
  id: string; regions?: string[]; districts?: string[]; skills?: string[]; open_load?: number; capacity?: number; available?: boolean;
}
export interface AssignItem { id: string; region?: string; district?: string; product?: string; }
export interface Contact { id?: string; owner?: string; phone?: string; email?: string; company?: string; }

export interface Ops {
  "pipeline.defaults": {
    input: { name?: DefaultPipelineName | string };
    output: { names: DefaultPipelineName[] } | { definition: PipelineDefinition };
  };
  "pipeline.extend": {
    input: PipelineRef & {
      extend: {
        id?: string; insert?: { after: string; stage: StageSpec }[]; transitions?: TransitionSpec[];
        lost_reasons?: string[]; fields?: FieldSpec[];
      };
    };
    output: { definition: PipelineDefinition };
  };
  "pipeline.validate": {
    input: { definition: PipelineDefinition };
    output: {
      id: string; initial: string; mode: MoveMode; probability_on_move: ProbabilityOnMove;
      stages: { id: string; label: string; kind: StageKind; order: number; probability: number; forecast_category: ForecastCategory; stale_after_days?: number; reason_required: boolean }[];
      moves: { from: string; to: string; declared: boolean; reopen: boolean; guards: number; effects: number }[];
    };
  };
  "pipeline.apply": {
    input: PipelineRef & { record: PipelineRecord; move: PipelineMove; actor: PipelineActor; now: Instant; context?: PipelineContext };
    output: Applied;
  };
  "pipeline.apply_bulk": {
    input: PipelineRef & {
      items: { record: PipelineRecord; move: PipelineMove; context?: PipelineContext }[];
      actor: PipelineActor; now: Instant; context?: PipelineContext; atomic?: boolean;
    };
    output: { committed: boolean; applied: number; refused: number; results: BulkResult[] };
  };
  "pipeline.durations": {
    input: PipelineRef & { record: PipelineRecord; as_of: Instant };
    output: { record: string; stage: string; stages: StageDuration[]; age_seconds: Decimal };
  };
  "pipeline.stage_at": {
    input: PipelineRef & { record: PipelineRecord; at: Instant };
    output: { stage: string | null };
  };
  "pipeline.funnel": {
    input: PipelineRef & { records: PipelineRecord[]; as_of: Instant; reach?: "strict" | "implied" };
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
    input: PipelineRef & { items: { record: PipelineRecord; owner: string }[]; now: Instant; atomic?: boolean };
    output: {
      committed: boolean; applied: number; refused: number;
      results: ({ status: "applied"; index: number; record: PipelineRecord } | { status: "refused"; index: number; error: ItemError } | { status: "not_applied"; index: number })[];
    };
  };
  "pipeline.sweep": {
    input: PipelineRef & { records: PipelineRecord[]; now: Instant; rules?: { renewal_notice_days?: number; pool_after_days?: number } };
    output: { events: SweepEvent[] };
  };
  "pipeline.assign": {
    input: { strategy: "round_robin" | "territory" | "least_load" | "skill"; reps: Rep[]; items: AssignItem[]; last_assigned?: string };
    output: {
      assignments: { item: string; rep: string | null; by: "round_robin" | "least_load" | "district" | "region" | "skill" | "none" }[];
      loads: { rep: string; open_load: number }[];
      last_assigned?: string;
    };
  };
  "pipeline.claim": {
    input: PipelineRef & { record: PipelineRecord; rep: string; held: number; limit: number; now: Instant };
    output: { record: PipelineRecord };
  };
  "pipeline.release": {
    input: PipelineRef & { record: PipelineRecord };
    output: { record: PipelineRecord };
  };
  "pipeline.dedupe": {
    input: { candidate: Contact; existing: Contact[]; default_country_code?: string };
    output: {
      duplicate: boolean;
      matches: { id?: string; owner?: string; on: ("email" | "phone" | "company")[] }[];
      normalized: { email?: string; phone?: string; company?: string };
    };
  };
}

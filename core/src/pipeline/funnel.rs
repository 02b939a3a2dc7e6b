//! Funnel: how many records reached each stage, replayed from their histories as of an
//! instant.
//!
//! This module decides, for a set of records of one pipeline and a caller-supplied
//! `as_of`, how many records reached each stage (each record counted once per stage, a
//! re-entered stage still once), how many sit in each stage at `as_of`, and from which
//! stage the records lost at `as_of` were lost (funnel attribution). Whether skipped
//! stages count as reached is an explicit option: `strict` counts only stages a record
//! entered; `implied` also counts every open stage before the furthest open stage it
//! reached, and every open stage for a won record (Bitrix24's "with conversions" view).
//! It never computes rates or averages over the counts (that is the KPI engine's job) and
//! never uses the current state of a record for a past `as_of`.

use super::definition::{Pipeline, StageKind};
use super::record::Record;
use crate::error::Result;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Whether stages a record skipped count as reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    /// Only stages the record entered (HubSpot's "any stage" funnel counting entries).
    #[default]
    Strict,
    /// Also the open stages before the furthest open stage reached, and every open stage
    /// for a won record.
    Implied,
}

/// One stage of the funnel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FunnelStage {
    /// Stage id.
    pub stage: String,
    /// Records that reached it by `as_of`.
    pub reached: u32,
    /// Records in it at `as_of`.
    pub current: u32,
    /// Records lost at `as_of` whose last stage before losing was this one.
    pub lost_from: u32,
}

/// The funnel of `records` as of `as_of`, in pipeline stage order, and the number of
/// records that existed by then (records created later are left out).
pub fn funnel(
    pipeline: &Pipeline,
    records: &[Record],
    as_of: DateTime<Utc>,
    reach: Reach,
) -> Result<(Vec<FunnelStage>, u32)> {
    let stages = pipeline.stages();
    let n = stages.len();
    let mut reached = vec![0u32; n];
    let mut current = vec![0u32; n];
    let mut lost_from = vec![0u32; n];
    let mut counted = 0;
    let mut seen = vec![false; n];
    for r in records {
        if r.created_at() > as_of {
            continue;
        }
        counted += 1;
        seen.iter_mut().for_each(|s| *s = false);
        let mut at = pipeline.stage_index(r.first_stage());
        let mut before_lost = None;
        if let Some(i) = at {
            seen[i] = true;
        }
        for h in r.history().iter().take_while(|h| h.at <= as_of) {
            let to = pipeline.stage_index(&h.to);
            if let Some(t) = to {
                seen[t] = true;
                if stages[t].kind == StageKind::Lost {
                    before_lost = pipeline.stage_index(&h.from);
                }
            }
            at = to;
        }
        if reach == Reach::Implied {
            let won = (0..n).any(|i| seen[i] && stages[i].kind == StageKind::Won);
            let furthest = (0..n)
                .filter(|&i| seen[i] && stages[i].kind == StageKind::Open)
                .max();
            for (i, s) in stages.iter().enumerate() {
                if s.kind == StageKind::Open && (won || furthest.is_some_and(|f| i <= f)) {
                    seen[i] = true;
                }
            }
        }
        for (count, s) in reached.iter_mut().zip(&seen) {
            *count += u32::from(*s);
        }
        if let Some(c) = at {
            current[c] += 1;
            if stages[c].kind == StageKind::Lost {
                if let Some(f) = before_lost {
                    lost_from[f] += 1;
                }
            }
        }
    }
    let out = stages
        .iter()
        .enumerate()
        .map(|(i, s)| FunnelStage {
            stage: s.id.to_string(),
            reached: reached[i],
            current: current[i],
            lost_from: lost_from[i],
        })
        .collect();
    Ok((out, counted))
}

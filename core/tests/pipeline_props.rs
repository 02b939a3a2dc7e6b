//! Property tests of the pipeline engine: over the shipped defaults and random
//! definitions, random sequences of moves never reach a stage the definition cannot reach,
//! refused moves change nothing, stage durations add up to the record's age, and terminal
//! stages are only ever left through a declared reopen.

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;
use salesops::money::Money;
use salesops::pipeline::{
    self, Actor, Context, Credit, Move, MoveMode, Pipeline, PipelineSpec, Record, StageKind,
    StageSpec, TransitionSpec, defaults,
};
use std::collections::BTreeSet;
use std::sync::Arc;

fn t0() -> DateTime<Utc> {
    "2026-01-01T00:00:00Z".parse().unwrap()
}

/// Stages reachable from the initial one through allowed moves.
fn reachable(p: &Pipeline) -> BTreeSet<Arc<str>> {
    let mut seen = BTreeSet::from([p.initial().id.clone()]);
    let mut stack = vec![p.initial().id.clone()];
    while let Some(f) = stack.pop() {
        for s in p.stages() {
            if p.allows(&f, &s.id) && seen.insert(s.id.clone()) {
                stack.push(s.id.clone());
            }
        }
    }
    seen
}

/// A random definition: stage 0 open and initial, the others of random kinds, random
/// edges (terminal sources become reopens into open stages), random mode. Many are
/// invalid (unreachable stages); those are skipped by the caller.
fn arb_spec() -> impl Strategy<Value = PipelineSpec> {
    (2usize..7)
        .prop_flat_map(|n| {
            (
                Just(n),
                proptest::collection::vec(0u8..4, n),
                proptest::collection::vec((0..n, 0..n, any::<bool>()), 0..(n * 3)),
                any::<bool>(),
                proptest::collection::vec(proptest::option::of(0u32..=100), n),
            )
        })
        .prop_map(|(n, kinds, edges, any_open, probs)| {
            let kind = |i: usize| match (i, kinds[i]) {
                (0, _) | (_, 0) => StageKind::Open,
                (_, 1) => StageKind::Won,
                (_, 2) => StageKind::Lost,
                _ => StageKind::Closed,
            };
            let stages = (0..n)
                .map(|i| StageSpec {
                    id: format!("s{i}"),
                    label: None,
                    kind: kind(i),
                    probability: probs[i],
                    forecast_category: None,
                    stale_after_days: None,
                    reason_required: false,
                    description: None,
                })
                .collect();
            let mut seen = BTreeSet::new();
            let transitions = edges
                .into_iter()
                .filter(|(f, t, _)| f != t && seen.insert((*f, *t)))
                .filter(|(f, t, _)| !(kind(*f).is_terminal() && kind(*t).is_terminal()))
                .map(|(f, t, guarded)| TransitionSpec {
                    from: format!("s{f}"),
                    to: format!("s{t}"),
                    guards: if guarded {
                        serde_json::from_str(r#"[{"kind":"amount_positive"}]"#).unwrap()
                    } else {
                        Vec::new()
                    },
                    effects: Vec::new(),
                    reason_required: false,
                    reopen: kind(f).is_terminal(),
                    description: None,
                })
                .collect();
            PipelineSpec {
                id: "random".into(),
                label: None,
                description: None,
                initial: "s0".into(),
                stages,
                mode: if any_open {
                    MoveMode::AnyOpen
                } else {
                    MoveMode::Explicit
                },
                transitions,
                lost_reasons: Vec::new(),
                fields: Vec::new(),
                probability_on_move: Default::default(),
            }
        })
}

/// One step of a random walk: target stage (index into the stages), a reason or not,
/// a manager or not, seconds elapsed before the move (sometimes negative).
fn arb_steps() -> impl Strategy<Value = Vec<(usize, bool, bool, i64)>> {
    proptest::collection::vec(
        (0usize..16, any::<bool>(), any::<bool>(), -3_600i64..400_000),
        0..40,
    )
}

/// Walk `steps` over `p`, checking every property along the way.
fn walk(p: &Pipeline, with_fields: bool, steps: &[(usize, bool, bool, i64)], extra: i64) {
    let reach = reachable(p);
    let mut r = Record::new("R-1", p, t0());
    if with_fields {
        r.amount = Some(Money::parse("1000.00", "USD").unwrap());
        r.customer = Some("ACME".into());
        r.owner = Some("ana".into());
        r.close_date = Some("2026-06-30".parse().unwrap());
        r.renewal_date = Some("2027-01-01".parse().unwrap());
        if let Some(("satisfaction", _)) = p.fields().iter().next().map(|(k, v)| (k.as_str(), v)) {
            r = Record::parse_json(
                &serde_json::to_string(&{
                    let mut v = serde_json::to_value(&r).unwrap();
                    v["fields"] = serde_json::json!({"satisfaction": "4"});
                    v
                })
                .unwrap(),
                p,
            )
            .unwrap();
        }
    }
    let ctx = Context {
        approvals: vec!["discount".into()],
        credit: Some(Credit {
            limit: Money::parse("5000.00", "USD").unwrap(),
            open_receivables: Money::parse("0.00", "USD").unwrap(),
        }),
        manager: None,
    };
    let mut now = t0();
    let stages = p.stages();
    for &(target, with_reason, manager, dt) in steps {
        now += TimeDelta::seconds(dt);
        let to = &stages[target % stages.len()];
        let mut mv = Move::to(&*to.id);
        if with_reason {
            mv = mv.because(
                p.lost_reasons()
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "other".into()),
            );
        }
        let actor = if manager {
            Actor::new("max")
                .with_role("sales_manager")
                .with_role("finance_manager")
                .with_role("legal")
        } else {
            Actor::new("ana")
        };
        let before = r.clone();
        let from = r.stage().to_string();
        // The by-value variant decides exactly alike and hands a refused record back intact.
        let owned = pipeline::apply_owned(p, r.clone(), &mv, &actor, now, &ctx);
        let by_ref = pipeline::apply(p, &r, &mv, &actor, now, &ctx);
        match (&owned, &by_ref) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (Err((e1, back)), Err(e2)) => {
                assert_eq!(e1, e2);
                assert_eq!(back, &before);
            }
            _ => panic!("apply and apply_owned disagree"),
        }
        match by_ref {
            Ok(out) => {
                // Only allowed moves happen, and only to reachable stages.
                assert!(
                    p.allows(&from, &to.id),
                    "{from} -> {} is not allowed",
                    to.id
                );
                assert!(reach.contains(out.record.stage()));
                // Terminal stages are left only through a declared reopen.
                let src = p.stage(&from).unwrap();
                if src.kind.is_terminal() {
                    let fi = p.stage_index(&from);
                    let ti = p.stage_index(&to.id);
                    assert!(
                        p.transitions()
                            .iter()
                            .any(|t| t.reopen && t.from == fi && Some(t.to) == ti),
                        "{from} (terminal) left for {} without a reopen",
                        to.id
                    );
                }
                assert_eq!(out.record.history().len(), before.history().len() + 1);
                assert!(
                    out.record
                        .history()
                        .iter()
                        .take(before.history().len())
                        .eq(before.history().iter())
                );
                // The input is untouched by a successful move, too.
                assert_eq!(r, before);
                r = out.record;
            }
            Err(_) => {
                // A refused move leaves the record exactly as it was.
                assert_eq!(r, before);
                now = now.max(r.stage_entered_at());
            }
        }
        assert!(reach.contains(r.stage()));
    }
    // Stage durations add up to the record's age, at any as-of instant.
    let as_of = r.stage_entered_at().max(now) + TimeDelta::seconds(extra);
    let (durations, age) = pipeline::durations(p, &r, as_of).unwrap();
    let sum: Decimal = durations.iter().map(|d| d.seconds).sum();
    assert_eq!(sum, age);
    assert_eq!(age, Decimal::from((as_of - t0()).num_seconds()));
    assert_eq!(pipeline::stage_at(&r, as_of), Some(r.stage()));
    // Replaying the history as a record document gives the same record back.
    let again = Record::parse_json(&serde_json::to_string(&r).unwrap(), p).unwrap();
    assert_eq!(again, r);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn defaults_hold_the_properties(which in 0usize..8, with_fields in any::<bool>(), steps in arb_steps(), extra in 0i64..100_000) {
        let p = defaults::load(defaults::NAMES[which]).unwrap();
        walk(&p, with_fields, &steps, extra);
    }

    #[test]
    fn random_definitions_hold_the_properties(spec in arb_spec(), with_fields in any::<bool>(), steps in arb_steps(), extra in 0i64..100_000) {
        if let Ok(p) = Pipeline::from_spec(spec) {
            walk(&p, with_fields, &steps, extra);
        }
    }

    #[test]
    fn validation_never_panics_and_reports_a_field(spec in arb_spec()) {
        if let Err(e) = Pipeline::from_spec(spec) {
            prop_assert!(e.field().is_some());
        }
    }
}

fn arb_rep() -> impl Strategy<Value = pipeline::Rep> {
    (
        0u32..20,
        proptest::option::of(0u32..25),
        any::<bool>(),
        proptest::collection::vec(0usize..3, 0..3),
    )
        .prop_map(|(load, cap, available, tags)| pipeline::Rep {
            id: String::new(),
            regions: tags.iter().map(|t| format!("r{t}")).collect(),
            districts: tags.iter().map(|t| format!("d{t}")).collect(),
            skills: tags.iter().map(|t| format!("p{t}")).collect(),
            open_load: load,
            capacity: cap,
            available,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Assignment is deterministic, never exceeds a capacity, never picks an unavailable
    /// rep, and every assignment shows up in exactly one rep's load.
    #[test]
    fn assignment_is_deterministic_and_conserves_load(
        mut reps in proptest::collection::vec(arb_rep(), 1..6),
        items in proptest::collection::vec((0usize..4, 0usize..4, 0usize..4), 0..30),
        strategy in prop_oneof![
            Just(pipeline::Strategy::RoundRobin), Just(pipeline::Strategy::Territory),
            Just(pipeline::Strategy::LeastLoad), Just(pipeline::Strategy::Skill)],
    ) {
        for (i, r) in reps.iter_mut().enumerate() {
            r.id = format!("rep{i}");
        }
        let items: Vec<pipeline::AssignItem> = items
            .iter()
            .enumerate()
            .map(|(i, (r, d, p))| pipeline::AssignItem {
                id: format!("L{i}"),
                region: Some(format!("r{r}")),
                district: Some(format!("d{d}")),
                product: Some(format!("p{p}")),
            })
            .collect();
        let a = pipeline::assign(strategy, &reps, &items, Some("rep0")).unwrap();
        let b = pipeline::assign(strategy, &reps, &items, Some("rep0")).unwrap();
        prop_assert_eq!(&a, &b);
        let assigned = a.assignments.iter().filter(|x| x.rep.is_some()).count() as u32;
        let before: u32 = reps.iter().map(|r| r.open_load).sum();
        let after: u32 = a.loads.iter().map(|l| l.open_load).sum();
        prop_assert_eq!(after, before + assigned);
        for (rep, load) in reps.iter().zip(&a.loads) {
            if !rep.available {
                prop_assert_eq!(load.open_load, rep.open_load);
            }
            if let Some(c) = rep.capacity {
                prop_assert!(load.open_load <= c.max(rep.open_load));
            }
        }
    }

    /// Duplicate detection is symmetric: if A matches B on a key, B matches A on it.
    #[test]
    fn dedupe_is_symmetric(
        a in ("[ +0-9()-]{0,16}", "[A-Za-z@. ]{0,12}", "[A-Za-z ,.]{0,14}"),
        b in ("[ +0-9()-]{0,16}", "[A-Za-z@. ]{0,12}", "[A-Za-z ,.]{0,14}"),
        cc in proptest::option::of("[1-9][0-9]{0,2}"),
    ) {
        let contact = |id: &str, (p, e, c): &(String, String, String)| pipeline::Contact {
            id: Some(id.into()),
            owner: None,
            phone: Some(p.clone()),
            email: Some(e.clone()),
            company: Some(c.clone()),
        };
        let (x, y) = (contact("A", &a), contact("B", &b));
        let (ab, _) = pipeline::dedupe(&x, std::slice::from_ref(&y), cc.as_deref()).unwrap();
        let (ba, _) = pipeline::dedupe(&y, std::slice::from_ref(&x), cc.as_deref()).unwrap();
        prop_assert_eq!(ab.first().map(|m| m.on.clone()), ba.first().map(|m| m.on.clone()));
    }
}

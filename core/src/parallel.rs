//! Independent jobs shared among a few threads, for the engines' batch operations.
//!
//! It decides only who runs which job: the results come back in job order, exactly as
//! running the jobs one after the other gives them, and the engines choose how to cut
//! their work into jobs. It never starts a thread unless asked (`threads` above 1), and
//! where threads cannot be started (WebAssembly) the calling thread runs every job.

use crate::error::{Error, Result};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

/// `jobs.map(f)`, on up to `threads` threads (the calling one included), each taking the
/// next job left. An error only if a job was lost (its thread panicked).
pub(crate) fn map<T, R, F>(jobs: Vec<T>, threads: usize, f: F) -> Result<Vec<R>>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    let n = jobs.len();
    if threads <= 1 || n <= 1 {
        return Ok(jobs.into_iter().map(f).collect());
    }
    let slots: Vec<Mutex<Option<T>>> = jobs.into_iter().map(|j| Mutex::new(Some(j))).collect();
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(slot) = slots.get(k) else {
                return done;
            };
            if let Some(job) = lock(slot).take() {
                done.push((k, f(job)));
            }
        }
    };
    let mut done = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads.min(n))
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok())
            .collect();
        let mut done = work();
        for h in helpers {
            done.extend(h.join().unwrap_or_default());
        }
        done
    });
    if done.len() != n {
        return Err(Error::Internal {
            reason: format!("{} of {n} jobs finished", done.len()),
        });
    }
    done.sort_unstable_by_key(|(k, _)| *k);
    Ok(done.into_iter().map(|(_, r)| r).collect())
}

/// The lock's contents; a poisoned lock (a thread panicked holding it) is read anyway:
/// a job is only ever taken whole.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_job_order() {
        for threads in [1, 2, 3, 8] {
            let out = map((0..100u64).collect(), threads, |x| {
                // Uneven jobs, so that threads finish out of order.
                std::hint::black_box((0..(x % 7) * 10_000).sum::<u64>());
                x * 2
            });
            let twice: Vec<u64> = (0..100).map(|x| x * 2).collect();
            assert_eq!(out.ok(), Some(twice), "{threads} threads");
        }
        assert_eq!(map(Vec::<u8>::new(), 4, |x| x).ok(), Some(vec![]));
    }
}

// The parallel benchmark's prime counting in PyO3 (0.17.3, Debian's
// librust-pyo3-dev), as a PyO3 user writes it without extra crates: the GIL
// released with `allow_threads`, std::thread::scope workers taking pieces
// (four per core, as swiftbind's Parallel.defaultChunks) from an atomic counter.
use pyo3::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

#[inline(always)]
fn is_prime(n: i64) -> bool {
    if n < 2 {
        return false;
    }
    if n < 4 {
        return true;
    }
    if n % 2 == 0 || n % 3 == 0 {
        return false;
    }
    let mut d = 5;
    while d * d <= n {
        if n % d == 0 || n % (d + 2) == 0 {
            return false;
        }
        d += 6;
    }
    true
}

fn count(lo: i64, hi: i64) -> i64 {
    (lo..hi).filter(|&n| is_prime(n)).count() as i64
}

fn cores() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

#[pyfunction]
fn count_primes(py: Python<'_>, lo: i64, hi: i64) -> i64 {
    py.allow_threads(|| count(lo, hi.max(lo)))
}

#[pyfunction(chunks = "0")]
fn count_primes_parallel(py: Python<'_>, lo: i64, hi: i64, chunks: i64) -> i64 {
    let hi = hi.max(lo);
    let len = (hi - lo) as usize;
    let wanted = if chunks > 0 { chunks as usize } else { cores() * 4 };
    let pieces = wanted.min(len).max(1);
    py.allow_threads(|| {
        if pieces == 1 {
            return count(lo, hi);
        }
        let next = AtomicUsize::new(0);
        let piece = |i: usize| {
            let start = lo + (len * i / pieces) as i64;
            let end = lo + (len * (i + 1) / pieces) as i64;
            count(start, end)
        };
        std::thread::scope(|s| {
            let workers: Vec<_> = (0..cores().min(pieces))
                .map(|_| {
                    s.spawn(|| {
                        let mut total = 0;
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            if i >= pieces {
                                break total;
                            }
                            total += piece(i);
                        }
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap()).sum()
        })
    })
}

#[pymodule]
fn pyo3_parallel(_py: Python<'_>, m: &PyModule) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(count_primes, m)?)?;
    m.add_function(wrap_pyfunction!(count_primes_parallel, m)?)?;
    Ok(())
}

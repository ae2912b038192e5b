// The calls benchmark's four functions in PyO3 (0.17.3, Debian's
// librust-pyo3-dev), as a PyO3 user writes them.
use pyo3::prelude::*;

#[pyfunction]
fn noop() {}

#[pyfunction]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

#[pyfunction]
fn scale(x: f64) -> f64 {
    x * 2.5
}

#[pyfunction(b = "2", "*", c = "3")]
fn kw(a: i64, b: i64, c: i64) -> i64 {
    a + b + c
}

#[pymodule]
fn pyo3_calls(_py: Python<'_>, m: &PyModule) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(noop, m)?)?;
    m.add_function(wrap_pyfunction!(add, m)?)?;
    m.add_function(wrap_pyfunction!(scale, m)?)?;
    m.add_function(wrap_pyfunction!(kw, m)?)?;
    Ok(())
}

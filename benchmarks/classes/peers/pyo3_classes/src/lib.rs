// The classes benchmark's Counter in PyO3 (0.17.3, Debian's librust-pyo3-dev),
// as a PyO3 user writes it: a #[pyclass] with a get/set field and an
// iterator #[pyclass] for __iter__.
use pyo3::prelude::*;

#[pyclass]
struct Counter {
    #[pyo3(get, set)]
    count: i64,
}

#[pymethods]
impl Counter {
    #[new]
    fn new(count: i64) -> Self {
        Counter { count }
    }

    fn bump(&mut self, by: i64) -> i64 {
        self.count += by;
        self.count
    }

    fn __iter__(slf: PyRef<'_, Self>) -> CounterIter {
        CounterIter { next: 0, end: slf.count }
    }
}

#[pyclass]
struct CounterIter {
    next: i64,
    end: i64,
}

#[pymethods]
impl CounterIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(mut slf: PyRefMut<'_, Self>) -> Option<i64> {
        if slf.next < slf.end {
            let value = slf.next;
            slf.next += 1;
            Some(value)
        } else {
            None
        }
    }
}

#[pymodule]
fn pyo3_classes(_py: Python<'_>, m: &PyModule) -> PyResult<()> {
    m.add_class::<Counter>()?;
    Ok(())
}

// pybind11 peer of the classes benchmark.
#include <pybind11/pybind11.h>
#include <cstdint>
namespace py = pybind11;

struct Counter { int64_t count; };
struct CountIt {
    int64_t i;
    int64_t operator*() const { return i; }
    CountIt &operator++() { ++i; return *this; }
    bool operator==(const CountIt &o) const { return i == o.i; }
    bool operator!=(const CountIt &o) const { return i != o.i; }
};

PYBIND11_MODULE(pb_classes, m) {
    py::class_<Counter>(m, "Counter")
        .def(py::init<int64_t>(), py::arg("count"))
        .def("bump", [](Counter &c, int64_t by) { c.count += by; return c.count; }, py::arg("by"))
        .def_readwrite("count", &Counter::count)
        .def("__iter__", [](const Counter &c) { return py::make_iterator(CountIt{0}, CountIt{c.count}); },
             py::keep_alive<0, 1>());
}

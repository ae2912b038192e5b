// pybind11 peer of the calls benchmark.
#include <pybind11/pybind11.h>
#include <cstdint>

namespace py = pybind11;
using namespace py::literals;

PYBIND11_MODULE(pb_calls, m) {
    m.doc() = "pybind11 peer of the calls benchmark";
    m.def("noop", []() {});
    m.def("add", [](int64_t a, int64_t b) { return a + b; }, "a"_a, "b"_a);
    m.def("scale", [](double x) { return x * 2.5; }, "x"_a);
    m.def("kw", [](int64_t a, int64_t b, int64_t c) { return a + b + c; },
          "a"_a, "b"_a = 2, py::kw_only(), "c"_a = 3);
}

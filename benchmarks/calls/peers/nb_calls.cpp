// nanobind peer of the calls benchmark.
#include <nanobind/nanobind.h>
#include <cstdint>

namespace nb = nanobind;
using namespace nb::literals;

NB_MODULE(nb_calls, m) {
    m.doc() = "nanobind peer of the calls benchmark";
    m.def("noop", []() {});
    m.def("add", [](int64_t a, int64_t b) { return a + b; }, "a"_a, "b"_a);
    m.def("scale", [](double x) { return x * 2.5; }, "x"_a);
    m.def("kw", [](int64_t a, int64_t b, int64_t c) { return a + b + c; },
          "a"_a, "b"_a = 2, nb::kw_only(), "c"_a = 3);
}

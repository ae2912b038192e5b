// nanobind peer of the classes benchmark.
#include <nanobind/nanobind.h>
#include <nanobind/make_iterator.h>
#include <cstdint>
namespace nb = nanobind;
using namespace nb::literals;

struct Counter { int64_t count; };
struct CountIt {
    int64_t i;
    int64_t operator*() const { return i; }
    CountIt &operator++() { ++i; return *this; }
    bool operator==(const CountIt &o) const { return i == o.i; }
    bool operator!=(const CountIt &o) const { return i != o.i; }
};

NB_MODULE(nb_classes, m) {
    nb::class_<Counter>(m, "Counter")
        .def(nb::init<int64_t>(), "count"_a)
        .def("bump", [](Counter &c, int64_t by) { c.count += by; return c.count; }, "by"_a)
        .def_rw("count", &Counter::count)
        .def("__iter__", [](const Counter &c) {
            return nb::make_iterator(nb::type<Counter>(), "iterator", CountIt{0}, CountIt{c.count});
        }, nb::keep_alive<0, 1>());
}

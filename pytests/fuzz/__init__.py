"""The crash fuzzer of the fixture modules: see docs/testing.md."""

"""pytest plugin for `make sanitize` under ASan: the suites import the
ASan-built fixtures (SWIFTBIND_FUZZ_BUILD) instead of building the normal
ones.  conftest.load_fixture builds only while conftest._built is None."""
import os
import sys


def pytest_plugin_registered(plugin, manager):
    if getattr(plugin, "__name__", "").endswith("conftest") and hasattr(plugin, "build_fixtures"):
        from pathlib import Path
        asan = Path(os.environ["SWIFTBIND_FUZZ_BUILD"])
        plugin._built = {}
        plugin.build_dir = lambda: asan
        if str(asan) not in sys.path:
            sys.path.insert(0, str(asan))

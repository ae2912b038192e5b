"""The call-overhead target of the embed benchmark: every peer calls
``noop()`` from its host language (``call_noop``).  The detection itself is
``outliers.detect`` from examples/outliers/outliers.py."""


def noop():
    return None

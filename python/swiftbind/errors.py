"""The one exception root of the build tool.

Every failure the build tool can predict is a :class:`SwiftBindBuildError`
whose message says what was wrong and what to do about it.  The command line
prints the message without a traceback; pip shows it as the build failure.
"""


class SwiftBindBuildError(Exception):
    """A build could not go on; ``str(error)`` tells the user how to fix it."""


class ConfigError(SwiftBindBuildError):
    """``pyproject.toml`` or the command line asked for something invalid."""


class ToolchainError(SwiftBindBuildError):
    """A tool the build needs (swift, Python headers, strip) is missing."""


class CompileError(SwiftBindBuildError):
    """``swift build`` failed; its own output has already gone to stderr."""


class ExtensionCheckError(SwiftBindBuildError):
    """The built library is not a loadable extension (links libpython, lacks PyInit_)."""


class CompatibilityError(SwiftBindBuildError):
    """The extension meets no manylinux policy (a library or symbol version PyPI's
    wheels may not need); ``--compat linux`` writes a plain ``linux_`` wheel instead."""

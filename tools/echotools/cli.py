"""What every tool says when it gives up: one line "TOOL: MESSAGE" on standard error and
exit status 2 (bad arguments or environment), as the tools document.

Example:
    from echotools.cli import fail
    fail("fuzz-report", "build/x/state.json not found")   # raises SystemExit(2)
"""
import sys


def fail(tool, message, status=2):
    print(f"{tool}: {message}", file=sys.stderr)
    raise SystemExit(status)

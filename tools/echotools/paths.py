"""Where things are in the checkout: the repository root and its tools/ folder.

Example:
    from echotools.paths import ROOT
    corpora = ROOT / "corpora"
"""
from pathlib import Path

TOOLS = Path(__file__).resolve().parent.parent
ROOT = TOOLS.parent

"""Decision tools for municipal IT strategy: pure functions over a kommune profile, with rules as
data (the ``rules_*.toml`` files), each rule carrying its report, page and verbatim quote.

    from assistant.decision import KommuneProfile, assess_ambition, assess_scenarios, benchmark
    p = KommuneProfile.from_dict({"name": "Bærum kommune", "population": 116000, "maturity": 3})
    assess_ambition(p).level        # "fyrtarn" | "k10" | "myndighetskrav"
    assess_scenarios(p).ranking     # e.g. ("S1", "S2", "S0", "S3"), best first
"""

from .ambition import assess_ambition
from .benchmark import BenchmarkInputs, benchmark
from .chart import benchmark_chart
from .chat import ToolReply, ToolResult
from .extract import detect_tool, extract_profile_facts, missing_essentials
from .memo import Memo, build_memo
from .profile import KommuneProfile, ProfileError
from .scenarios import assess_scenarios
from .types import AmbitionResult, BenchmarkResult, ScenarioResult

__all__ = [
    "AmbitionResult",
    "BenchmarkInputs",
    "BenchmarkResult",
    "KommuneProfile",
    "Memo",
    "ProfileError",
    "ScenarioResult",
    "ToolReply",
    "ToolResult",
    "assess_ambition",
    "assess_scenarios",
    "benchmark",
    "benchmark_chart",
    "build_memo",
    "detect_tool",
    "extract_profile_facts",
    "missing_essentials",
]

"""Mutation figures per module from mutmut's results (mutants/*.meta), after `mutmut run`.

Each module gets its mutants, killed, survived, no tests, timeout and equivalent counts, and the share of
non-equivalent mutants the tests detect: (killed + timeout) / (mutants - equivalent). A timeout counts as
detected: the mutant made the tests hang and mutmut stopped them. Equivalent mutants (no test could tell
them from the original) are listed, with why, in tests/mutation_equivalents.md.

    python scripts/mutation_report.py [--fail-under 80] [--markdown]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EQUIVALENTS = ROOT / "tests" / "mutation_equivalents.md"
MUTANT_NAME = re.compile(r"`([\w.ǁ]+__mutmut_\d+)`")

# mutmut 3's exit codes (mutmut/stats.py), reduced to what the report shows.
STATUS_BY_EXIT_CODE = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped",
                       36: "timeout", -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout",
                       37: "killed", None: "not checked"}


@dataclass
class Figures:
    """The mutants of one module by outcome."""

    module: str
    statuses: dict[str, str] = field(default_factory=dict)  # mutant name -> status
    equivalent: set[str] = field(default_factory=set)

    def count(self, status: str) -> int:
        return sum(1 for name, s in self.statuses.items() if s == status and name not in self.equivalent)

    @property
    def total(self) -> int:
        return len(self.statuses)

    @property
    def checked_score(self) -> float:
        """The score over the mutants mutmut got to (an interrupted run): the share detected among them."""
        judged = self.total - len(self.equivalent) - self.count("not checked")
        return 100.0 * (self.count("killed") + self.count("timeout")) / judged if judged else 100.0

    @property
    def score(self) -> float:
        judged = self.total - len(self.equivalent)
        return 100.0 * (self.count("killed") + self.count("timeout")) / judged if judged else 100.0


def equivalent_mutants(path: Path = EQUIVALENTS) -> set[str]:
    """Mutant names listed as equivalent (in backquotes) in the equivalents file."""
    return set(MUTANT_NAME.findall(path.read_text(encoding="utf-8"))) if path.exists() else set()


def module_figures(mutants_dir: Path, equivalents: set[str]) -> list[Figures]:
    """Figures of every mutated module, read from mutmut's .meta files."""
    found = []
    for meta in sorted(mutants_dir.rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        if not codes:
            continue
        module = str(meta.relative_to(mutants_dir))[: -len(".meta")]
        statuses = {name: STATUS_BY_EXIT_CODE.get(code, "suspicious") for name, code in codes.items()}
        found.append(Figures(module, statuses, equivalents & set(statuses)))
    return found


def fill_in(figures: list[Figures], other: list[Figures]) -> None:
    """Take from another run (fewer tests, or only some mutants) the outcome of the mutants this one did not
    check: a mutant detected by fewer tests is detected by all of them; one that survived them stays unknown."""
    found = {f.module: f.statuses for f in other}
    for f in figures:
        for name, status in found.get(f.module, {}).items():
            if f.statuses.get(name) == "not checked" and status in ("killed", "timeout"):
                f.statuses[name] = status


def table(figures: list[Figures], markdown: bool) -> str:
    """The per-module table, aligned text or Markdown."""
    head = ["module", "mutants", "killed", "survived", "no tests", "timeout", "equivalent", "not checked", "%",
            "% of checked"]
    rows = [[f.module, str(f.total), str(f.count("killed")), str(f.count("survived")), str(f.count("no tests")),
             str(f.count("timeout")), str(len(f.equivalent)), str(f.count("not checked")), f"{f.score:.1f}",
             f"{f.checked_score:.1f}"] for f in figures]
    others = Counter(s for f in figures for n, s in f.statuses.items()
                     if n not in f.equivalent and s not in ("killed", "survived", "no tests", "timeout", "not checked"))
    note = "\n(also: " + ", ".join(f"{n} {s}" for s, n in sorted(others.items())) + ")" if others else ""
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(["---"] + ["---:"] * (len(head) - 1)) + " |"]
        return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows]) + note
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    fmt = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    return "\n".join(fmt.format(*r) for r in [head, *rows]) + note


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=Path, default=Path("mutants"), help="mutmut's working directory")
    parser.add_argument("--fail-under", type=float, default=None, help="exit 1 when a module scores less")
    parser.add_argument("--markdown", action="store_true", help="a Markdown table (for the README)")
    parser.add_argument("--fill-in", type=Path, default=None,
                        help="mutants/ of another run whose detected mutants fill in those this one did not check")
    args = parser.parse_args(argv)
    equivalents = equivalent_mutants()
    figures = module_figures(args.mutants, equivalents)
    if args.fill_in is not None:
        fill_in(figures, module_figures(args.fill_in, equivalents))
    if not figures:
        print("No mutmut results: run `mutmut run` first.", file=sys.stderr)
        return 1
    print(table(figures, args.markdown))
    killed_equivalents = sorted(n for f in figures for n in f.equivalent if f.statuses[n] in ("killed", "timeout"))
    if killed_equivalents:
        print("\nListed as equivalent but killed (remove them from the list): " + ", ".join(killed_equivalents))
    low = [f.module for f in figures if args.fail_under is not None and f.score < args.fail_under]
    if low:
        print(f"\nUnder {args.fail_under:.0f}%: " + ", ".join(low), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

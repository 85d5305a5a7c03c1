"""``python manage.py rulepack validate|load|test``: tools for the people who write rule packs.

- ``validate PATH...``: exit 1 when any pack has an error (each printed with file, field path,
  line and problem).
- ``load PATH...``: validate and store each pack as a RulePackVersion; identical content
  again changes nothing.
- ``test [--pack PATH]... FILE_OR_FOLDER...``: run scenario files (rule-scenarios.md). Prints
  nothing for a pass, a block per failure, then ``N passed, M failed``; exit 1 on failures,
  2 when a file cannot be read or is invalid. Needs no database.
- ``coverage [--pack PATH]... [FOLDER]``: per council, every catalogue rule ID with the number
  of scenarios (under FOLDER, default the pack folder's ``scenarios``) and the pack elements
  naming it, and for rules no scenario asks about the catalogue ``note`` (and ``tested_by``).
  Exit 1 when a rule ID is named by no element and has no note, when a council's ID sequence
  has a gap, or when a scenario names a rule ID outside its catalogue; 2 on unreadable files.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from councils.rules.loader import PackError, load_all_packs, load_pack_file, pack_dir
from councils.rules.schema import RulePack


def _pack_paths(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(x for x in p.glob("*") if x.suffix in (".yaml", ".yml")))
        else:
            out.append(p)
    return out


class Command(BaseCommand):
    help = "Validate, load or test council rule packs."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        v = sub.add_parser("validate", help="validate pack files")
        v.add_argument("paths", nargs="+")
        ld = sub.add_parser("load", help="validate and store pack files")
        ld.add_argument("paths", nargs="+")
        t = sub.add_parser("test", help="run scenario files against the packs")
        t.add_argument("--pack", action="append", default=[], dest="packs")
        t.add_argument("paths", nargs="+")
        c = sub.add_parser("coverage", help="rule IDs asked by scenarios or covered otherwise")
        c.add_argument("--pack", action="append", default=[], dest="packs")
        c.add_argument("paths", nargs="*")

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action == "validate":
            code = self._validate(options["paths"])
        elif action == "load":
            code = self._load(options["paths"])
        elif action == "coverage":
            code = self._coverage(options["packs"], options["paths"])
        else:
            code = self._test(options["packs"], options["paths"])
        if code:
            sys.exit(code)

    def _validate(self, paths: list[str]) -> int:
        failed = False
        for p in _pack_paths(paths):
            try:
                pack = load_pack_file(p)
            except PackError as exc:
                failed = True
                for issue in exc.errors:
                    self.stderr.write(str(issue))
                continue
            self.stdout.write(f"ok {p} ({pack.council.slug} {pack.version})")
        return 1 if failed else 0

    def _load(self, paths: list[str]) -> int:
        from councils.rules.services import RulePackConflict, rulepack_load

        failed = False
        for p in _pack_paths(paths):
            try:
                row, created = rulepack_load(path=p)
            except PackError as exc:
                failed = True
                for issue in exc.errors:
                    self.stderr.write(str(issue))
                continue
            except RulePackConflict as exc:
                failed = True
                self.stderr.write(f"{p}: {exc}")
                continue
            state = "stored" if created else "unchanged"
            self.stdout.write(f"{state} {p} ({row.version} from {row.effective_from})")
        return 1 if failed else 0

    def _packs(self, pack_paths: list[str]) -> dict[str, RulePack] | None:
        """The pack folder's packs, each ``--pack`` winning for its council (None on error)."""
        try:
            packs = load_all_packs()
            for p in pack_paths:
                pack = load_pack_file(p)
                packs[pack.council.slug] = pack
        except PackError as exc:
            for issue in exc.errors:
                self.stderr.write(str(issue))
            return None
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        return packs

    def _coverage(self, pack_paths: list[str], paths: list[str]) -> int:
        from progression.engine.coverage import coverage_report, pack_coverage
        from progression.engine.scenarios import (
            ScenarioFormatError,
            collect_files,
            parse_scenario_file,
        )

        packs = self._packs(pack_paths)
        if packs is None:
            return 2
        folders = paths or [str(pack_dir() / "scenarios")]
        scenarios = []
        errors: list[ScenarioFormatError] = []
        for f in collect_files(folders):
            try:
                scenarios.extend(parse_scenario_file(f, packs))
            except ScenarioFormatError as exc:
                errors.append(exc)
        for err in errors:
            self.stderr.write(f"error: {err}")
        if errors:
            return 2
        # Only the councils the scenarios or --pack options concern, else every pack.
        wanted = {s.council for s in scenarios} | {
            load_pack_file(p).council.slug for p in pack_paths}
        failed = False
        for slug in sorted(wanted or packs):
            cov = pack_coverage(packs[slug], scenarios)
            for line in coverage_report(cov):
                self.stdout.write(line)
            self.stdout.write("")
            failed = failed or not cov.ok
        return 1 if failed else 0

    def _test(self, pack_paths: list[str], paths: list[str]) -> int:
        from progression.engine.scenarios import run_files

        packs = self._packs(pack_paths)
        if packs is None:
            return 2
        results, errors = run_files(paths, packs)
        for err in errors:
            self.stderr.write(f"error: {err}")
        failed = [r for r in results if not r.passed]
        for r in failed:
            self.stdout.write(r.block())
            self.stdout.write("")
        self.stdout.write(f"{len(results) - len(failed)} passed, {len(failed)} failed")
        if errors:
            return 2
        return 1 if failed else 0

"""Load rule packs from YAML with errors that name the file, field path, line and problem.

YAML is read with a YAML 1.2-style boolean rule (only ``true``/``false``), so keys such as
``on:`` stay strings. Node marks from ``yaml.compose`` map a pydantic ``loc`` to a line.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from councils.rules.schema import RulePack, check_pack


class StrictBoolLoader(yaml.SafeLoader):
    """SafeLoader where only true/false are booleans (``on``, ``yes``, ``no`` stay text)."""


# libyaml's parser when available (about 10x faster); same resolver rules.
_FastBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FastStrictBoolLoader(_FastBase):  # type: ignore[misc, valid-type]
    """The C-accelerated twin of StrictBoolLoader (used when no line marks are needed)."""


for _cls in (StrictBoolLoader, FastStrictBoolLoader):
    _cls.yaml_implicit_resolvers = {
        key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _cls.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )


@dataclass(frozen=True)
class PackIssue:
    """One problem in a file: where (path, field path, line) and what."""

    file: str
    loc: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}"
        if self.line is not None:
            where += f":{self.line}"
        field = f" {self.loc}:" if self.loc else ""
        return f"{where}:{field} {self.message}"


class PackError(Exception):
    """A pack (or scenario) file cannot be read or parsed."""

    def __init__(self, issues: list[PackIssue]) -> None:
        self.errors = issues
        super().__init__("\n".join(str(i) for i in issues))


class PackValidationError(PackError):
    """The file parsed but does not follow the schema."""


def pack_dir() -> Path:
    """The project's pack folder (councils/rulepacks)."""
    return Path(__file__).resolve().parent.parent / "rulepacks"


def compose_node(text: str) -> yaml.Node | None:
    """The node tree of ``text`` with line marks (for error messages only)."""
    try:
        return yaml.compose(text, Loader=StrictBoolLoader)
    except yaml.YAMLError:
        return None


def read_yaml(path: Path, *, with_node: bool = False) -> tuple[Any, yaml.Node | None, str]:
    """Return (data, node tree or None, text); PackError when unreadable or not YAML.

    The node tree (line marks) is composed only when ``with_node`` is true: it is slow, and
    only error messages need it.
    """
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError([PackIssue(name, "", None, f"cannot read file: {exc}")]) from exc
    node = None
    try:
        data = yaml.load(text, Loader=FastStrictBoolLoader)  # noqa: S506 - safe loader
        if with_node:
            node = yaml.compose(text, Loader=StrictBoolLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise PackError([PackIssue(name, "", line, f"not valid YAML: {exc}")]) from exc
    except ValueError as exc:
        # A scalar that looks like a date but is not one (2026-02-30): name its line.
        line, value = _bad_timestamp(text)
        what = f"{value!r} is not a real date" if value else "a date is not a real date"
        raise PackError([PackIssue(name, "", line, f"{what} ({exc})")]) from exc
    return data, node, text


def _bad_timestamp(text: str) -> tuple[int | None, str | None]:
    """(line, text) of the first date-like scalar that is not a calendar date."""
    try:
        root = yaml.compose(text, Loader=StrictBoolLoader)
    except yaml.YAMLError:
        return None, None
    stack = [root] if root is not None else []
    constructor = StrictBoolLoader("")
    while stack:
        n = stack.pop(0)
        if isinstance(n, yaml.ScalarNode):
            if n.tag == "tag:yaml.org,2002:timestamp":
                try:
                    constructor.construct_yaml_timestamp(n)
                except ValueError:
                    return n.start_mark.line + 1, n.value
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
        elif isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                stack.extend((k, v))
    return None, None


def line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the deepest node reachable along ``loc``."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = None
            for k, v in node.value:
                if str(k.value) == str(key):
                    nxt = v
                    line = k.start_mark.line + 1
                    break
            if nxt is None:
                return line
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            if key >= len(node.value):
                return line
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop pydantic's union-tag segments (e.g. 'time-since') that are not YAML keys."""
    out: list[Any] = []
    for part in loc:
        if isinstance(part, str) and ("[" in part or part in _UNION_TAGS):
            continue
        out.append(part)
    return tuple(out)


_UNION_TAGS = {
    "current-level", "asye-completed", "qualified-within", "prior-asye", "agency", "team-tags",
    "time-since", "registration-current",
}


def format_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def pydantic_issues(name: str, node: yaml.Node | None, exc: ValidationError) -> list[PackIssue]:
    issues: list[PackIssue] = []
    for err in exc.errors():
        loc = _clean_loc(tuple(err["loc"]))
        msg = err["msg"]
        if err["type"] == "missing":
            msg = "required field is missing"
        elif err["type"] == "extra_forbidden":
            msg = "unknown field (not in the schema)"
        elif msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        if err["type"] not in ("missing", "extra_forbidden") and "input" in err:
            got = err["input"]
            if not isinstance(got, (dict, list)):
                msg += f" (got {got!r})"
        issues.append(PackIssue(name, format_loc(loc), line_of(node, loc), msg))
    return issues


def parse_pack(data: Any, *, name: str = "<pack>", node: yaml.Node | None = None) -> RulePack:
    """Validate plain data as a RulePack; PackValidationError lists every problem."""
    if not isinstance(data, dict):
        raise PackValidationError([PackIssue(name, "", 1, "a rule pack must be a mapping")])
    try:
        pack = RulePack.model_validate(data, context={"defer_cross_checks": True})
    except ValidationError as exc:
        raise PackValidationError(pydantic_issues(name, node, exc)) from exc
    problems = check_pack(pack)
    if problems:
        raise PackValidationError([
            PackIssue(name, format_loc(p.loc), line_of(node, p.loc), p.message)
            for p in problems
        ])
    return pack


def load_pack_file(path: str | Path) -> RulePack:
    """Read and validate one pack file. Raises PackError / PackValidationError."""
    p = Path(path)
    data, _, text = read_yaml(p)
    try:
        return parse_pack(data, name=str(p))
    except PackValidationError:
        # Validate again with line marks so every error names its line.
        return parse_pack(data, name=str(p), node=compose_node(text))


def load_all_packs(directory: str | Path | None = None) -> dict[str, RulePack]:
    """Every ``*.yaml`` pack directly in ``directory`` (default pack_dir()), by council slug.

    Where two files hold the same council, the later ``effective_from`` (then version) wins.
    """
    d = Path(directory) if directory is not None else pack_dir()
    packs: dict[str, RulePack] = {}
    for f in sorted(d.glob("*.yaml")) + sorted(d.glob("*.yml")):
        pack = load_pack_file(f)
        slug = pack.council.slug
        old = packs.get(slug)
        if old is None or (pack.effective_from, pack.version) > (old.effective_from, old.version):
            packs[slug] = pack
    return packs


def pack_content(pack: RulePack) -> dict[str, Any]:
    """The validated pack as plain JSON-able data (stored in RulePackVersion.content)."""
    return pack.model_dump(mode="json", by_alias=True, exclude_defaults=False)


def canonical_digest(pack: RulePack) -> str:
    """SHA-256 of the canonical JSON of the validated content (key order, formatting and
    comments in the YAML do not change it)."""
    blob = json.dumps(pack_content(pack), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()

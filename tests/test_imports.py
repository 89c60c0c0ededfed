"""Import rules between features (ARCHITECTURE, Layers; issue 13), read from the code.

A feature is a package under ``fieldapp/`` (auth, children, ...); the flat modules
(``access.py``, ``db.py``, ``forms.py`` ...) are shared. Between features:

(a) no import cycle;
(b) no private name (``_x``) of another feature;
(c) only its ``services``, ``models``, ``queries``, ``validators`` and, for ``children``,
    ``record`` and ``matching`` (the one duplicate scorer) modules.

The ALLOWED_* sets hold what breaks a rule today (issue 13 emptied the first two). They may
only shrink: a new break fails, and so does an entry that no longer happens, so that whoever
fixed it deletes it. What two features both need goes to a shared module (roles, schemas,
clock, signals ...), not into one of them.

Inside a feature, no import cycle between its modules when they load (an import inside a
function apart); and ``create_app`` uses every name it imports: each blueprint is registered
by name, none attaches routes to another's by being imported.
"""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "fieldapp"
OPEN_MODULES = {"services", "models", "queries", "validators"}
# children also opens its one duplicate scorer (issue 13: "is this the same child?" is the
# register's question; review and quality ask it, and neither may import the other).
# reports opens its calendar (issue 15 §2): the home shows the next due report.
OPEN_BY_FEATURE = {"children": OPEN_MODULES | {"record", "matching"},
                   "reports": OPEN_MODULES | {"calendar"}}

# (a) Feature edges (importer, imported) that lie on an import cycle.
ALLOWED_CYCLE_EDGES: set[tuple[str, str]] = set()  # none left: keep it so

# (b) (importer module, imported module.name)
ALLOWED_PRIVATE: set[tuple[str, str]] = set()  # none left: keep it so

# (c) (importer module, imported module)
ALLOWED_CLOSED: set[tuple[str, str]] = set()  # none left: keep it so


def modules() -> dict[str, Path]:
    """Every module under ``fieldapp/`` by dotted name (a package by its own name)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def feature_of(module: str) -> str | None:
    """The feature a module belongs to, or ``None`` for a shared flat module."""
    parts = module.split(".")
    if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()):
        return parts[1]
    return None


def imports(module: str, path: Path, known: dict) -> list[tuple[str, str | None, int]]:
    """What ``module`` imports from fieldapp, at any depth: (module, name or None, line)."""
    found = []
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(a.name, None, node.lineno) for a in node.names
                      if a.name.split(".")[0] == "fieldapp"]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if base.split(".")[0] != "fieldapp":
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.append((sub, None, node.lineno) if sub in known
                             else (base, alias.name, node.lineno))
    return found


def crossings() -> list[tuple[str, str, str | None, int]]:
    """Imports from one feature into another: (importer, imported, name, line)."""
    known = modules()
    found = []
    for module, path in sorted(known.items()):
        for imported, name, line in imports(module, path, known):
            mine, theirs = feature_of(module), feature_of(imported)
            if mine and theirs and mine != theirs:
                found.append((module, imported, name, line))
    return found


def reaches(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in graph[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def where(found: dict, key) -> str:
    return ", ".join(sorted(found[key]))


def compare(found: dict, allowed: set, rule: str, hint: str) -> None:
    new = sorted(set(found) - allowed)
    gone = sorted(allowed - set(found))
    lines = []
    if new:
        lines.append(f"New imports break the rule: {rule}. {hint}:")
        lines += [f"  {key}  ({where(found, key)})" for key in new]
    if gone:
        lines.append("Fixed, thank you: delete these entries from the allow-list "
                     f"({len(allowed) - len(gone)} would be left):")
        lines += [f"  {key}" for key in gone]
    assert not lines, "\n".join(lines)


def test_no_cycle_between_features():
    graph = defaultdict(set)
    found = defaultdict(set)
    for module, imported, _name, line in crossings():
        edge = (feature_of(module), feature_of(imported))
        graph[edge[0]].add(edge[1])
        found[edge].add(f"{module}:{line} -> {imported}")
    on_cycle = {edge: found[edge] for edge in found if edge[0] in reaches(graph, edge[1])}
    compare(on_cycle, ALLOWED_CYCLE_EDGES, "no import cycle between features",
            "Move what both features need to a shared module")


def test_no_private_name_of_another_feature():
    found = defaultdict(set)
    for module, imported, name, line in crossings():
        private = [part for part in imported.split(".") + [name or ""] if part.startswith("_")]
        if private:
            key = (module, f"{imported}.{name}" if name else imported)
            found[key].add(f"line {line}")
    compare(found, ALLOWED_PRIVATE, "no private name of another feature",
            "Make it public in an open module, or move it to a shared module")


def test_features_import_only_open_modules():
    found = defaultdict(set)
    for module, imported, name, line in crossings():
        last = imported.split(".")[-1]
        if last not in OPEN_BY_FEATURE.get(feature_of(imported), OPEN_MODULES):
            found[(module, imported)].add(f"line {line}: {name or 'module'}")
    compare(found, ALLOWED_CLOSED, "only services, models, queries, validators (children: "
            "record, matching) of another feature", "Import from one of those, or move the "
            "helper to a shared module")


def test_the_reader_sees_every_kind_of_import(tmp_path):
    """The rules above are only as good as the reader: a function-level and a relative
    import count like the others."""
    source = tmp_path / "fieldapp" / "children" / "views.py"
    source.parent.mkdir(parents=True)
    source.write_text("def f():\n    from fieldapp.quality.merge import _x\n"
                      "from .forms import A\nimport fieldapp.review.labels\n")
    known = {"fieldapp.children.forms": None, "fieldapp.quality.merge": None}
    assert imports("fieldapp.children.views", source, known) == [
        ("fieldapp.children.forms", "A", 3),
        ("fieldapp.review.labels", None, 4),
        ("fieldapp.quality.merge", "_x", 2),
    ]


def lines_inside_functions(path: Path) -> set[int]:
    """The lines of the imports made when a function runs, not when the module loads."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.lineno for function in ast.walk(tree)
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
            for node in ast.walk(function) if isinstance(node, ast.Import | ast.ImportFrom)}


def test_no_import_cycle_inside_a_feature():
    """Two modules of one feature (say views.py and edit_views.py) never import each other, even
    through a third: what both need goes in a module of its own."""
    known = modules()
    graph = defaultdict(set)
    for module, path in known.items():
        inside = lines_inside_functions(path)
        graph[module] = {imported for imported, _name, line in imports(module, path, known)
                         if line not in inside and imported in known and imported != module
                         and feature_of(module) and feature_of(imported) == feature_of(module)}
    on_cycle = sorted(f"{module} -> {imported}" for module in graph for imported in graph[module]
                      if module in reaches(graph, imported))
    assert not on_cycle, on_cycle


def test_the_app_factory_imports_nothing_it_does_not_use():
    """Every blueprint is registered by name in ``create_app``: no module is imported only so
    that its routes attach themselves to another module's blueprint. ``models`` is the one
    import for its effect: every table in the metadata, for Alembic."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    imported = {alias.asname or alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import | ast.ImportFrom) for alias in node.names}
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    assert imported - used == {"models"}

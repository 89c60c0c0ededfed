"""The README and docs/ stand alone: a clone has no ``../shared``, and every link to a file of
the repository, and every file of the code or the tests named in backquotes, leads to one (a
moved test file takes its mentions along)."""

import re
from pathlib import Path

import pytest

from tests.test_imports import crossings, feature_of

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)")
QUOTED_PATH = re.compile(r"`((?:fieldapp|tests)/[^`\s:<]*)`")  # not fieldapp/<feature>/


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_no_reference_outside_the_repository(doc):
    assert "../shared" not in doc.read_text()


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_relative_link_and_quoted_path_leads_to_a_file(doc):
    text = doc.read_text()
    links = [t for t in LINK.findall(text) if "://" not in t]
    missing = [t for t in links if not (doc.parent / t).exists()]
    missing += [p for p in QUOTED_PATH.findall(text) if not (ROOT / p).exists()]
    assert not missing


def test_the_readme_map_of_features_says_what_the_code_imports():
    """Every feature has a row in the README's table, whose last column names exactly the
    features it imports (read from the code as tests/test_imports.py reads it)."""
    text = (ROOT / "README.md").read_text()
    table = text[text.index("| Feature | Owns | Imports |"):].split("\n\n")[0]
    said = {}
    for row in table.splitlines()[2:]:
        feature, _owns, imported = (cell.strip() for cell in row.strip("|").split("|"))
        said[feature] = set() if imported == "—" else set(imported.split(", "))
    done = {feature: set() for feature in features()}
    for module, imported, _name, _line in crossings():
        done[feature_of(module)].add(feature_of(imported))
    assert said == done


def features() -> list[str]:
    package = ROOT / "fieldapp"
    return sorted(p.parent.name for p in package.glob("*/__init__.py"))

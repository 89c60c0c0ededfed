"""The README and docs/ stand alone: a clone has no ``../shared``, and every link to a file of
the repository, and every file of the code or the tests named in backquotes, leads to one (a
moved test file takes its mentions along)."""

import re
from pathlib import Path

import pytest

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

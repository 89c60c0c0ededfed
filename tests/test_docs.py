"""The README and docs/ stand alone: a clone has no ``../shared``, and every link to a file of
the repository leads to one."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_no_reference_outside_the_repository(doc):
    assert "../shared" not in doc.read_text()


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_relative_link_leads_to_a_file(doc):
    links = [t for t in LINK.findall(doc.read_text()) if "://" not in t]
    missing = [t for t in links if not (doc.parent / t).exists()]
    assert not missing

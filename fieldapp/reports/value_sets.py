"""An indicator's own breakdown per child as one number (issue 15 §4): each value of the
breakdown's code lists is a bit, so the database ORs a child's values together in the same
grouping that finds its marks (``bits_or``), and the counts per value are read back from
the number of children per combination of sets (:func:`own_counts`). A value off the lists
sets ``OTHER``: that breakdown is then counted from the rows themselves."""

from collections import defaultdict

from sqlalchemy import BigInteger, case
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from fieldapp.catalogue import services as catalogue
from fieldapp.reports.indicators import REGISTRY

OTHER, NONE = 1, 2  # a set's bits for a value off its code lists, and for no value


def value_sets() -> dict:
    """For each indicator with an own breakdown over membership rows: the name of the column
    of each child's set of its values, and the codes they come from (its code lists, in
    order), value ``codes[n]`` being the bit ``1 << n + 2``. Breakdowns of the same values
    over the same rows share a column."""
    out, names = {}, {}
    for indicator in REGISTRY:
        by = indicator.by
        if by and by.rows:
            lists = (by.codes,) if isinstance(by.codes, str) else by.codes
            codes = tuple(dict.fromkeys(c.code for name in lists
                                        for c in catalogue.items(name)))[:60]  # more: OTHER
            name = names.setdefault((by.rows, by.value, codes), f"set_{len(names)}")
            out[indicator.key] = (indicator, name, codes)
    return out


def bit(value, codes: tuple):
    return case(*((value == code, 1 << n + 2) for n, code in enumerate(codes)),
                (value.is_(None), NONE), else_=OTHER)


def own_counts(rows, counts: list[str]) -> tuple[dict, set]:
    """From the ``MASKS`` rows (``counts``: their count columns' names, in order): the
    children in each own breakdown's values (``{key: {value: n}}``, no value as ""), and the
    keys whose sets hold a value off their code lists (to be counted by ``frame.exact_own``)."""
    out, other = defaultdict(lambda: defaultdict(int)), set()
    sets = list(value_sets().items())
    for row in rows:
        n = int(row[counts[0]])
        for (key, (_, _, codes)), name in zip(sets, counts[1:], strict=False):
            bits = int(row[name] or 0)
            if bits & OTHER:
                other.add(key)
            if bits & NONE:
                out[key][""] += n
            for index, code in enumerate(codes):
                if bits & 1 << index + 2:
                    out[key][code] += n
    return out, other


class bits_or(FunctionElement):  # noqa: N801 — SQL's name
    """The bitwise OR of a group's numbers: PostgreSQL's ``bit_or``; on SQLite, which has
    none, the sum of the distinct numbers — the same for numbers of one bit or 0."""

    type = BigInteger()
    inherit_cache = True


@compiles(bits_or)
def _bit_or(element, compiler, **kw):
    return f"bit_or({compiler.process(element.clauses, **kw)})"


@compiles(bits_or, "sqlite")
def _sum_distinct(element, compiler, **kw):
    return f"sum(DISTINCT {compiler.process(element.clauses, **kw)})"

"""The indicators a commune reports (issue 15 §1, DOMAIN §8): one registry, one entry each.

An entry says what a person reads (key, Circular 13/2021/TT-BLĐTBXH code where there is one,
Vietnamese name and definition, unit) and what the database counts: ``counts`` is the
condition a child of the report's frame meets to be counted (over the frame's columns and the
child's marks, see ``reports.frame``), ``base`` the indicator whose value is the share's
denominator, and ``by`` the indicator's own breakdown (its group, form, reason, cause or
level), counted over the rows that put the child in the indicator. Every indicator is also
broken down by sex, age group, ethnicity and place (village of a commune, commune of a
province). Adding the rest of the Circular 13 annex is adding entries here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, func, not_, or_

from fieldapp.children.models import ONGOING_SUPPORT as ONGOING
from fieldapp.children.models import MembershipPeriod as M

ABUSE = ("DB02", "DB08", "DB10", "DB11", "DB12", "DB13", "K01")  # Circular 13, 0101
DROPPED_OUT = "HT07"
CHILD_DIMENSIONS = ("sex", "age_group", "ethnicity", "place")
DIMENSIONS = {
    "sex": "Giới tính", "age_group": "Nhóm tuổi", "ethnicity": "Dân tộc", "place": "Địa bàn",
    "group": "Nhóm hoàn cảnh", "form": "Hình thức trợ giúp", "reason": "Lý do",
    "cause": "Nguyên nhân", "level": "Cấp học", "verification": "Công an xác thực",
}


@dataclass(frozen=True)
class By:
    """An indicator's own breakdown: over the membership rows that give the child the mark
    ``rows`` (a name of ``MARKS``) the value ``value(row)`` (a column expression over the
    row's ``code`` and ``detail``), a code of the list(s) ``codes``; with ``rows`` None, over
    the child: the report's column ``dimension`` (``level``, the level a dropout left)."""

    dimension: str
    value: Callable | None
    codes: str | tuple[str, ...]
    rows: str | None = None
    label: str = ""  # when the dimension's name says less than it should here


@dataclass(frozen=True)
class Indicator:
    key: str
    code: str | None
    name: str
    definition: str
    unit: str  # "children" or "share" (a count whose share is the point)
    counts: Callable  # (Frame) -> SQL condition on a child of the frame
    base: str | None = None  # the indicator whose value is the share's denominator
    by: By | None = None
    sensitive: bool = False  # a restricted group: small numbers hidden from the province
    verified: Callable | None = None  # of those counted, the police-verified (ID numbers)


def at_day(w):
    """A circumstance the register held for the report's day."""
    return and_(M.kind == "circumstance", M.since <= w.day,
                or_(M.until.is_(None), M.until >= w.day))


def in_period(w):
    """A circumstance the child had at some time in the period."""
    return and_(M.kind == "circumstance", M.since <= w.day,
                or_(M.until.is_(None), M.until >= w.start))


def supported_between(given_on, until, form, start, end):
    """Support (its columns) given from ``start`` to ``end``, running into that time, or an
    ongoing form (TG05, TG06) still open: the indicators' and the named lists' rule."""
    return and_(given_on <= end, or_(given_on >= start, until >= start,
                                     and_(until.is_(None), form.in_(ONGOING))))


def support_in_period(w):
    """Support given in the period, or an ongoing form running in it."""
    return and_(M.kind == "support", supported_between(M.since, M.until, M.code, w.start, w.day))


def _block(block):
    return lambda w: and_(at_day(w), M.code.like(f"{block}%"))


def _codes(codes, when=in_period):
    return lambda w: and_(when(w), M.code.in_(codes))


def died_in_period(w):
    return and_(M.kind == "circumstance", M.code == "K02", M.since >= w.start,
                M.since <= w.day)


# The mark a case verified by the commune (a report found to have grounds,
# issue 16 §4) gives its register child besides its membership rows; the child counts once.
CASES_GIVE = "abused"
# The marks of a child: whether one of its membership rows meets each condition (one column
# each, in reports.frame's per-child aggregate).
MARKS = {
    "special": _block("DB"),
    "risk": _block("NC"),
    "supported": support_in_period,
    "abused": _codes(ABUSE),
    "injured": _codes(("K03",)),
    "died": died_in_period,
}


def _detail(name):
    return lambda row: row.detail[name].as_string()


def _code(row):
    return row.code


def _risk_reason(row):
    """NC01's reason (LDxx); NC02 under its own code."""
    return func.coalesce(row.detail["risk_reason"].as_string(), row.code)


REGISTRY = (
    Indicator(
        "child_population", None, "Tổng số trẻ em",
        "Trẻ em dưới độ tuổi quy định đang quản lý (chưa chuyển đi, chưa mất) tại ngày báo "
        "cáo.", "children", lambda f: f.active),
    Indicator(
        "special_circumstances", None, "Trẻ em có hoàn cảnh đặc biệt",
        "Trẻ em thuộc ít nhất một nhóm hoàn cảnh đặc biệt (DB01–DB15) tại ngày báo cáo; trẻ "
        "thuộc nhiều nhóm được tính một lần trong tổng số.", "children",
        lambda f: and_(f.active, f.mark("special")), base="child_population",
        by=By("group", _code, "circumstance", "special")),
    Indicator(
        "special_circumstances_supported", None,
        "Trẻ em có hoàn cảnh đặc biệt được trợ giúp",
        "Trẻ em có hoàn cảnh đặc biệt tại ngày báo cáo đã nhận ít nhất một hình thức trợ giúp "
        "trong kỳ (hoặc đang được trợ giúp thường xuyên, tư vấn tâm lý).", "children",
        lambda f: and_(f.active, f.mark("special"), f.mark("supported")),
        base="special_circumstances",
        by=By("form", _code, "support_form", "supported")),
    Indicator(
        "special_circumstances_unsupported", None,
        "Trẻ em có hoàn cảnh đặc biệt chưa được trợ giúp",
        "Trẻ em có hoàn cảnh đặc biệt tại ngày báo cáo chưa nhận hình thức trợ giúp nào "
        "trong kỳ.", "children",
        lambda f: and_(f.active, f.mark("special"), not_(f.mark("supported"))),
        base="special_circumstances",
        by=By("group", _code, "circumstance", "special")),
    Indicator(
        "at_risk", None, "Trẻ em có nguy cơ rơi vào hoàn cảnh đặc biệt",
        "Trẻ em thuộc nhóm nguy cơ (NC01, NC02) tại ngày báo cáo, theo lý do.", "children",
        lambda f: and_(f.active, f.mark("risk")), base="child_population",
        by=By("reason", _risk_reason, ("risk_reason", "circumstance"), "risk")),
    Indicator(
        "abused", "0101", "Trẻ em bị xâm hại",
        "Trẻ em bị bạo lực, bóc lột, xâm hại tình dục, mua bán, bỏ rơi, bắt cóc, chiếm đoạt "
        "(DB02, DB08, DB10–DB13, K01) trong kỳ, và trẻ có hồ sơ vụ việc đã xác minh có cơ sở "
        "(mỗi trẻ tính một lần).", "children",
        lambda f: and_(f.active, f.mark("abused")), base="child_population",
        by=By("form", _code, "circumstance", "abused", "Hình thức xâm hại"),
        sensitive=True),
    Indicator(
        "injured", None, "Trẻ em bị tai nạn thương tích",
        "Trẻ em bị thương tích (K03) trong kỳ, theo nguyên nhân.", "children",
        lambda f: and_(f.active, f.mark("injured")), base="child_population",
        by=By("cause", _detail("injury_cause"), "injury_cause", "injured")),
    Indicator(
        "injury_deaths", None, "Trẻ em tử vong do tai nạn thương tích",
        "Trẻ em tử vong do tai nạn thương tích (K02) trong kỳ, theo nguyên nhân.", "children",
        lambda f: f.mark("died"),
        by=By("cause", _detail("injury_cause"), "injury_cause", "died")),
    Indicator(
        "with_personal_id", None, "Trẻ em có số định danh cá nhân",
        "Trẻ em đang quản lý có số định danh cá nhân; trong đó số đã được công an xã xác "
        "thực đến ngày báo cáo.", "share",
        lambda f: and_(f.active, f.has_personal_id), base="child_population",
        verified=lambda f: and_(f.active, f.has_personal_id, f.verified)),
    Indicator(
        "dropouts", None, "Trẻ em bỏ học",
        "Trẻ em đang quản lý có tình trạng học tập “Đã bỏ học” tại ngày báo cáo, theo cấp "
        "học đã bỏ.", "children",
        lambda f: and_(f.active, f.schooling_status == DROPPED_OUT), base="child_population",
        by=By("level", None, "school_level")),
)
BY_KEY = {indicator.key: indicator for indicator in REGISTRY}

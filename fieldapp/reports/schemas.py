"""The indicators API's answer (marshmallow), for the OpenAPI document and for
:func:`report_json`, which the API and the pages' JSON share."""

from marshmallow import fields

from fieldapp.reports.scope import Place
from fieldapp.reports.services import Report
from fieldapp.schemas import ApiSchema


class PlaceOut(ApiSchema):
    code = fields.String(metadata={"description": "A commune's 5-digit or a province's "
                                   "2-digit code"})
    name = fields.String()


class IndicatorOut(ApiSchema):
    key = fields.String(metadata={"description": "Stable key, e.g. `child_population`"})
    code = fields.String(allow_none=True, metadata={
        "description": "Circular 13/2021/TT-BLĐTBXH code (`0101`), or null"})
    name = fields.String(metadata={"description": "Vietnamese name"})
    definition = fields.String()
    unit = fields.String(metadata={"description": "`children` or `share`"})
    value = fields.Integer(allow_none=True, metadata={
        "description": "Number of children; null when suppressed"})
    share = fields.Float(allow_none=True, metadata={
        "description": "Value divided by the indicator named by `base` (0–1), or null"})
    base = fields.String(allow_none=True)
    suppressed = fields.Boolean(metadata={
        "description": "True when a restricted group's 1–4 children are hidden (\"<5\")"})
    breakdowns = fields.Dict(
        keys=fields.String(), values=fields.Dict(keys=fields.String(),
                                                 values=fields.Integer(allow_none=True)),
        metadata={"description": "Dimension (`sex`, `age_group`, `ethnicity`, `place` — the "
                  "village of a commune, the commune of a province — and the indicator's "
                  "own: `group`, `form`, `reason`, `cause`, `level`, `verification`) → code "
                  "→ number of children; null when suppressed"})


class IndicatorsOut(ApiSchema):
    place = fields.Nested(PlaceOut)
    date = fields.Date(metadata={"description": "The report's day: the register as known "
                                 "at its end (Vietnam time)"})
    period_start = fields.Date(metadata={"description": "First day of the period (the "
                                         "province's reporting year)"})
    indicators = fields.List(fields.Nested(IndicatorOut))


def report_json(place: Place, report: Report) -> dict:
    return {
        "place": {"code": place.code, "name": place.name},
        "date": report.day.isoformat(), "period_start": report.start.isoformat(),
        "indicators": [{
            "key": r.key, "code": r.indicator.code, "name": r.indicator.name,
            "definition": r.indicator.definition, "unit": r.indicator.unit,
            "value": r.value, "share": None if r.share is None else round(r.share, 4),
            "base": r.indicator.base, "suppressed": r.suppressed, "breakdowns": r.breakdowns,
        } for r in report.indicators],
    }

"""A case's deadlines, computed from its facts each time they are read (ARCHITECTURE
decision 11; issue 16 §2): the initial assessment within 12 hours of the report (it decides
whether the child needs emergency action), the support plan by the end of the 5th working
day after the day the report was received (that day not counted; Vietnam's calendar,
``fieldapp.workdays``)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from fieldapp.cases import machine
from fieldapp.cases.models import Case
from fieldapp.children.queries import end_of_day
from fieldapp.clock import VIETNAM
from fieldapp.workdays import declared, working_day_after

ASSESSMENT = timedelta(hours=12)
PLAN_WORKING_DAYS = 5
AHEAD = timedelta(days=60)  # enough calendar for 5 working days, Tết's week included
# The states in which each deadline is still to be met.
BEFORE_ASSESSMENT = (machine.RECEIVED, machine.VERIFIED)
BEFORE_PLAN = (*BEFORE_ASSESSMENT, machine.ASSESSED, machine.DETAILED)


@dataclass(frozen=True)
class Deadlines:
    assessment_due: datetime
    plan_due: datetime
    open: tuple[str, ...]  # those not met yet: "assessment", "plan"

    def overdue(self, now: datetime) -> tuple[str, ...]:
        return tuple(name for name in self.open if getattr(self, f"{name}_due") <= now)

    def due_on(self, now: datetime) -> tuple[str, ...]:
        """Those not met that fall on ``now``'s Vietnam day and have not passed."""
        today = now.astimezone(VIETNAM).date()
        return tuple(name for name in self.open
                     if (due := getattr(self, f"{name}_due")) > now
                     and due.astimezone(VIETNAM).date() == today)


def deadlines(case: Case, days: dict | None = None) -> Deadlines:
    """``days``: the admin's declared days around the case's report, if read already."""
    received = case.received_at
    day = received.astimezone(VIETNAM).date()
    plan = end_of_day(working_day_after(day, PLAN_WORKING_DAYS, days))
    still = []
    if case.state in BEFORE_ASSESSMENT:
        still.append("assessment")
    if case.state in BEFORE_PLAN:
        still.append("plan")
    return Deadlines(received + ASSESSMENT, plan, tuple(still))


def deadlines_of(cases: list[Case]) -> list[Deadlines]:
    """Each case's deadlines (a page of a list), the admin's days read once for all."""
    if not cases:
        return []
    received = [case.received_at.astimezone(VIETNAM).date() for case in cases]
    days = declared(min(received), max(received) + AHEAD)
    return [deadlines(case, days) for case in cases]

"""A case's states and the steps between them (Decree 56/2017, Chapter III; issue 16 §1).

``TRANSITIONS[state][step]`` is the state a step leads to; a step not listed for the state
is refused with the reason (409). The verification may close an unfounded case, and the
review leads back to a new plan or to the closing. ``LEADER_STEPS`` are the commune
chair's (Mẫu 05); every other step is the commune officer's.
"""

RECEIVED, VERIFIED, ASSESSED, DETAILED = "received", "verified", "assessed", "detailed"
PLANNED, RETURNED, APPROVED, ACTING = "planned", "returned", "approved", "acting"
REVIEWED, CLOSED = "reviewed", "closed"

STATES = {
    RECEIVED: "Đã tiếp nhận",
    VERIFIED: "Đã xác minh",
    ASSESSED: "Đã đánh giá nguy cơ ban đầu",
    DETAILED: "Đã đánh giá chi tiết, xác định nhu cầu",
    PLANNED: "Chờ Chủ tịch UBND xã phê duyệt kế hoạch",
    RETURNED: "Kế hoạch bị trả lại",
    APPROVED: "Kế hoạch đã được phê duyệt",
    ACTING: "Đang thực hiện kế hoạch",
    REVIEWED: "Đã rà soát",
    CLOSED: "Đã đóng hồ sơ",
}
STEPS = {  # the steps of the API, in the forms' order, with their Vietnamese names
    "receive": "Tiếp nhận thông tin (Mẫu 01)",
    "verify": "Xác minh thông tin",
    "assess": "Đánh giá nguy cơ ban đầu (Mẫu 02)",
    "detail": "Đánh giá chi tiết và xác định nhu cầu (Mẫu 03)",
    "plan": "Kế hoạch hỗ trợ, can thiệp (Mẫu 04)",
    "approve": "Phê duyệt kế hoạch (Mẫu 05)",
    "return": "Trả lại kế hoạch",
    "act": "Thực hiện kế hoạch",
    "review": "Rà soát, đánh giá (Mẫu 06)",
    "close": "Đóng hồ sơ",
}
OTHER_STEPS = {"link": "Gắn hồ sơ với trẻ trong sổ"}  # any open state; the state stays
TRANSITIONS = {
    RECEIVED: {"verify": VERIFIED},  # or CLOSED when unfounded (services)
    VERIFIED: {"assess": ASSESSED},
    ASSESSED: {"detail": DETAILED},
    DETAILED: {"plan": PLANNED},
    PLANNED: {"approve": APPROVED, "return": RETURNED},
    RETURNED: {"plan": PLANNED},
    APPROVED: {"act": ACTING, "review": REVIEWED},
    ACTING: {"act": ACTING, "review": REVIEWED},
    REVIEWED: {"plan": PLANNED, "close": CLOSED},
    CLOSED: {},
}
LEADER_STEPS = frozenset({"approve", "return"})
OPEN = tuple(state for state in STATES if state != CLOSED)


def next_state(state: str, step: str) -> str | None:
    """The state ``step`` leads to from ``state``, or None where it may not be taken."""
    return TRANSITIONS.get(state, {}).get(step)


def refusal(state: str, step: str) -> str:
    """Why ``step`` may not be taken now, in words the officer reads."""
    allowed = [STEPS[s] for s in TRANSITIONS.get(state, {})]
    if not allowed:
        return f"Hồ sơ {STATES[state].lower()}: không thực hiện thêm bước nào."
    name = STEPS.get(step) or OTHER_STEPS.get(step, step)
    return (f"Không thực hiện được bước “{name}” khi hồ sơ "
            f"{STATES[state].lower()}. Bước tiếp theo: {'; '.join(allowed)}.")

"""What a setting is (issue 14 §1.5, issue 15 §2): its key, Vietnamese label and help, kind,
default and scope. Two kinds: a whole number in a range, and a day of the year ("dd/mm", the
report calendar's cut-off and due dates). A setting is national, or per province (a province
may override the default; the others keep it)."""

import re
from dataclasses import dataclass
from datetime import date

NATIONAL, PROVINCE = "national", "province"


@dataclass(frozen=True)
class Declared:
    """A whole number between ``low`` and ``high``."""

    key: str
    label: str
    help: str
    default: int
    low: int
    high: int
    unit: str = ""
    scope: str = NATIONAL

    def parse(self, raw) -> int:
        """The typed value of ``raw`` (form text or stored JSON); ValueError in Vietnamese."""
        text = str(raw if raw is not None else "").strip()
        if not text:
            raise ValueError(f"{self.label}: vui lòng nhập.")
        if isinstance(raw, bool) or not (text.isascii() and text.isdigit()):
            raise ValueError(f"{self.label}: nhập một số nguyên.")
        number = int(text)
        if not self.low <= number <= self.high:
            raise ValueError(f"{self.label}: từ {self.low} đến {self.high}"
                             f"{' ' + self.unit if self.unit else ''}.")
        return number

    @staticmethod
    def stored(value: int) -> int:
        return value


@dataclass(frozen=True, order=True)
class DayMonth:
    """A day of the year without its year. 29/02 is allowed: in a year without it, the day is
    28/02 (the last day of February, what a plan's "đến hết tháng 2" means)."""

    month: int
    day: int

    def in_year(self, year: int) -> date:
        if (self.month, self.day) == (2, 29) and not _leap(year):
            return date(year, 2, 28)
        return date(year, self.month, self.day)

    def __str__(self) -> str:
        return f"{self.day:02d}/{self.month:02d}"


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


DAY_MONTH = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})")


@dataclass(frozen=True)
class DeclaredDay:
    """A day of the year, entered "dd/mm" ("20/5" or "20/05")."""

    key: str
    label: str
    help: str
    default: DayMonth
    scope: str = NATIONAL

    def parse(self, raw) -> DayMonth:
        text = str(raw if raw is not None else "").strip()
        if not text:
            raise ValueError(f"{self.label}: vui lòng nhập.")
        match = DAY_MONTH.fullmatch(text) if text.isascii() else None
        if match is None:
            raise ValueError(f"{self.label}: nhập ngày/tháng, ví dụ 20/05.")
        day, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValueError(f"{self.label}: tháng {month} không có.")
        try:
            date(2024, month, day)  # a leap year: 29/02 exists
        except ValueError:
            raise ValueError(f"{self.label}: ngày {day}/{month:02d} không có.") from None
        return DayMonth(month, day)

    @staticmethod
    def stored(value: DayMonth) -> str:
        return str(value)


DECLARED = (
    Declared("age_limit", "Độ tuổi của trẻ em",
             "Luật Trẻ em 2016: trẻ em là người dưới 16 tuổi (hoặc theo quy định đang có hiệu "
             "lực). Đủ số tuổi này, hồ sơ rời các danh sách đang quản lý và gói dữ liệu trên "
             "điện thoại; phiếu thu thập của trẻ đã đủ tuổi bị từ chối.", 16, 16, 18, "tuổi"),
    Declared("review_months", "Chu kỳ rà soát định kỳ",
             "Quyết định 3978/QĐ-BYT: rà soát định kỳ 6 tháng một lần. Nhóm hoàn cảnh hoặc trợ "
             "giúp thường xuyên không được xác nhận lại trong số tháng này vào danh sách "
             "“cần rà soát”.", 6, 1, 24, "tháng"),
    Declared("recheck_percent", "Tỷ lệ phúc tra mặc định",
             "Tỷ lệ hồ sơ chọn ngẫu nhiên để phúc tra, điền sẵn ở trang phúc tra (cán bộ vẫn "
             "sửa được mỗi lần chọn mẫu).", 10, 1, 100, "%"),
    DeclaredDay("half_year_cutoff", "Kỳ báo cáo 6 tháng: số liệu tính đến ngày",
                "Báo cáo 6 tháng đầu năm lấy số liệu đến hết ngày này.", DayMonth(5, 15),
                PROVINCE),
    DeclaredDay("half_year_due", "Kỳ báo cáo 6 tháng: hạn nộp",
                "Ngày cuối cùng gửi báo cáo 6 tháng đầu năm.", DayMonth(5, 20), PROVINCE),
    DeclaredDay("year_cutoff", "Kỳ báo cáo năm: số liệu tính đến ngày",
                "Báo cáo năm lấy số liệu đến hết ngày này; năm báo cáo sau bắt đầu từ ngày "
                "hôm sau.", DayMonth(11, 10), PROVINCE),
    DeclaredDay("year_due", "Kỳ báo cáo năm: hạn nộp",
                "Ngày cuối cùng gửi báo cáo năm.", DayMonth(11, 15), PROVINCE),
)
BY_KEY = {item.key: item for item in DECLARED}
NATIONAL_SETTINGS = tuple(item for item in DECLARED if item.scope == NATIONAL)
PROVINCE_SETTINGS = tuple(item for item in DECLARED if item.scope == PROVINCE)
# A due date and the cut-off it must follow, in the same year.
DUE_AFTER = {"half_year_due": "half_year_cutoff", "year_due": "year_cutoff"}

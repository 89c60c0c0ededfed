"""The 12-digit personal ID number (Circular 07/2016/TT-BCA, DOMAIN §7).

Digits 1–3: the old (63-province) province where the birth was registered; digit 4: century
and sex; digits 5–6: the birth year's last two digits; digits 7–12 random, no check digit.
"""

from dataclasses import dataclass, field

OLD_PROVINCES = frozenset(
    """001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034
    035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070
    072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096""".split()
)
# Digit 4 by (century, sex): 1 Nam, 2 Nữ. 1900s 0/1, 2000s 2/3, 2100s 4/5.
CENTURY_SEX = {(1900, "1"): "0", (1900, "2"): "1", (2000, "1"): "2", (2000, "2"): "3",
               (2100, "1"): "4", (2100, "2"): "5"}


@dataclass
class IdCheck:
    """What is wrong with a number: ``errors`` refuse it, ``warnings`` only flag it."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_personal_id(number: str, *, sex: str | None = None, birth_year: int | None = None,
                      label: str = "Số định danh cá nhân") -> IdCheck:
    """Every check of DOMAIN §7 on a child's number, each message naming the field."""
    result = IdCheck()
    if len(number) != 12 or not _ascii_digits(number):
        result.errors.append(f"{label} phải gồm đúng 12 chữ số.")
        return result
    if number[:3] not in OLD_PROVINCES:
        result.warnings.append(
            f"{label}: mã tỉnh nơi đăng ký khai sinh {number[:3]} không có trong danh mục."
        )
    century = None if birth_year is None else birth_year // 100 * 100
    allowed = _century_sex_digits(century, sex)
    if number[3] not in allowed:
        should = f" (phải là {' hoặc '.join(sorted(allowed))})" if allowed else ""
        result.errors.append(
            f"{label}: chữ số thứ 4 là {number[3]}, không khớp giới tính và thế kỷ sinh{should}."
        )
    if birth_year is not None and number[4:6] != f"{birth_year % 100:02d}":
        result.errors.append(
            f"{label}: chữ số thứ 5–6 là {number[4:6]}, không khớp năm sinh {birth_year}."
        )
    return result


def _ascii_digits(number: str) -> bool:
    """0-9 only: ``str.isdigit`` also takes full-width, superscript and other scripts' digits."""
    return number.isascii() and number.isdigit()


def _century_sex_digits(century: int | None, sex: str | None) -> set[str]:
    """The digits 4 that agree with what is known; sex ``3`` (chưa xác định) allows both."""
    return {
        digit for (cent, code), digit in CENTURY_SEX.items()
        if (century is None or cent == century) and (sex not in ("1", "2") or code == sex)
    }


def check_adult_id(number: str, label: str) -> IdCheck:
    """A caregiver's number: 12 digits, or a legacy 9-digit CMND."""
    result = IdCheck()
    if not _ascii_digits(number) or len(number) not in (9, 12):
        result.errors.append(f"{label} phải gồm 12 chữ số (hoặc 9 chữ số nếu là CMND cũ).")
    elif len(number) == 12 and number[:3] not in OLD_PROVINCES:
        result.warnings.append(f"{label}: mã tỉnh {number[:3]} không có trong danh mục.")
    return result

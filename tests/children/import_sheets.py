"""Spreadsheets as communes keep them, for the import tests: a messy workbook (title rows,
a header on two rows under merged cells, a row numbering the columns, blank rows, a block
heading naming a village, dates typed three ways and more), CSV variants, and a way to post
a file as the officer."""

import re
import unicodedata
from datetime import date, datetime
from io import BytesIO

from openpyxl import Workbook

from tests.conftest import csrf_token

# The messy workbook's rows, by their number in the sheet, and what the preview says of them.
GOOD = {7, 8, 10, 17}
ERRORS = {11: "G", 12: "B", 13: "C"}  # row: the column of its error
DUPLICATE_OF_REGISTER, DUPLICATE_IN_FILE = 14, 15
REGISTER_TWIN = {"full_name": "Quàng Văn Sáng", "born": date(2016, 5, 5)}


def messy_header(sheet, subtitle: str, village: str) -> None:
    """A commune's header: two merged title rows, then a header of two rows (rows 4–5) under
    merged cells — "Giới tính" over Nam | Nữ, "Họ tên cha/mẹ" over Cha | Mẹ — 12 columns."""
    sheet["A1"] = "DANH SÁCH TRẺ EM DƯỚI 16 TUỔI"
    sheet.merge_cells("A1:L1")
    sheet["A2"] = subtitle
    sheet.merge_cells("A2:L2")
    top = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", None, "Dân tộc", "Số định danh",
           village, "Họ tên cha/mẹ", None, "Chủ hộ", "Hoàn cảnh"]
    for column, value in enumerate(top, start=1):
        if value:
            sheet.cell(row=4, column=column, value=value)
    for letter in "ABCFGHKL":
        sheet.merge_cells(f"{letter}4:{letter}5")
    sheet.merge_cells("D4:E4")
    sheet.merge_cells("I4:J4")
    for letter, value in (("D", "Nam"), ("E", "Nữ"), ("I", "Cha"), ("J", "Mẹ")):
        sheet[f"{letter}5"] = value


def messy_workbook(village_a: str = "Nà Sàng", village_b: str = "BẢN PÁ MÚA") -> bytes:
    """The messy register: ``village_a`` written in the Thôn column, ``village_b`` as the
    heading of the last block (the Thôn column left empty under it)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "DS tre em"
    messy_header(sheet, "Xã Mường La, năm 2025", "Thôn")
    for column in range(1, 13):  # (1) (2) … under the header, as official forms number them
        sheet.cell(row=6, column=column, value=f"({column})")
    pom = ["Lò Văn Pọm", "Lường Thị Xuân", "Lò Văn Pọm"]
    rows = {
        7: [1, "Lò Văn An", datetime(2016, 3, 4), "x", None, "Thái", "014216000111",
            village_a, *pom, None],
        8: [2, "Lò Thị Bình", "15/06/2018", None, "x", "thai", None, f"Bản {village_a}", *pom,
            "DB04 (Vận động, Nặng)"],
        10: [3, "GIÀNG A PÁO", 2015, "x", None, "H'Mông", None, "Pá Múa", "Giàng A Chư",
             "Sùng Thị Mỷ", "Giàng A Chư", None],
        11: [4, "Vì Văn Cường", "04-03-2017", "x", None, "Thái", "014317000123", village_a,
             "Vì Văn Hặc", "Lò Thị Ín", "Vì Văn Hặc", None],
        12: [5, None, "01/01/2019", "x", None, "Thái", None, village_a, "Lò Văn Ban", None,
             "Lò Văn Ban", None],
        13: [6, "Lường Văn Già", datetime(2005, 1, 1), "x", None, "Thái", None, village_a,
             "Lường Văn Pao", None, "Lường Văn Pao", None],
        14: [7, REGISTER_TWIN["full_name"], "05/05/2016", "x", None, "Thái", None, village_a,
             "Quàng Văn Hom", None, "Quàng Văn Hom", None],
        15: [8, "Lò Văn An", datetime(2016, 3, 4), "x", None, "Thái", None, village_a, *pom,
             None],
        17: [9, "Cầm Thị Hoa", 43000, None, "x", "Khơ Mú", None, None, None, "Cầm Thị Lan",
             None, None],
    }
    for number, values in rows.items():
        for column, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(row=number, column=column, value=value)
    sheet["A16"] = village_b  # a block's heading, merged across
    sheet.merge_cells("A16:L16")
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def workbook(rows: list[list], title: str = "Danh sách") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], separator: str = ",", encoding: str = "utf-8") -> bytes:
    text = "\r\n".join(separator.join("" if v is None else str(v) for v in row)
                       for row in rows) + "\r\n"
    if encoding == "cp1258":
        return cp1258(text)
    return text.encode(encoding)


def cp1258(text: str) -> bytes:
    """Text as Vietnamese Windows writes it: letters with a breve, circumflex or horn
    precomposed, the tone a combining mark after them."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out += base.encode("cp1258") + "".join(c for c in parts if c in tones).encode("cp1258")
    return bytes(out)


def upload(client, body: bytes, name: str = "danh-sach.xlsx", village: str = ""):
    """Post a file to the import page (logged in); the answer, redirects not followed."""
    token = csrf_token(client, "/children/import")
    return client.post("/children/import", content_type="multipart/form-data",
                       data={"csrf_token": token, "village": village,
                             "file": (BytesIO(body), name)})


def upload_id(answer) -> str:
    assert answer.status_code == 303, answer.get_data(as_text=True)[:3000]
    return re.search(r"/children/import/([0-9a-f-]{36})$", answer.headers["Location"]).group(1)


def fingerprint(html: str) -> str:
    return re.search(r'name="fingerprint" type="hidden" value="([^"]+)"', html).group(1)

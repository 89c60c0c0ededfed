"""code lists of DOMAIN §4

Sex, ethnicity, nationality, schooling, poverty, circumstances with their details, support
forms and caregiver relations.
Local codes are kept as data: an official list replaces them by a later data migration.

Revision ID: 0002
Revises: 0001
"""

import gettext

import pycountry
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SEX = [("1", "Nam"), ("2", "Nữ"), ("3", "Chưa xác định")]

ETHNICITY = """01 Kinh|02 Tày|03 Thái|04 Hoa|05 Khơ-me|06 Mường|07 Nùng|08 HMông|09 Dao|10 Gia-rai|
11 Ngái|12 Ê-đê|13 Ba-na|14 Xơ-đăng|15 Sán Chay|16 Cơ-ho|17 Chăm|18 Sán Dìu|19 Hrê|20 Mnông|
21 Ra-glai|22 Xtiêng|23 Bru-Vân Kiều|24 Thổ|25 Giáy|26 Cơ-tu|27 Gié-Triêng|28 Mạ|29 Khơ-mú|
30 Co|31 Tà-ôi|32 Chơ-ro|33 Kháng|34 Xinh-mun|35 Hà Nhì|36 Chu-ru|37 Lào|38 La Chí|39 La Ha|
40 Phù Lá|41 La Hủ|42 Lự|43 Lô Lô|44 Chứt|45 Mảng|46 Pà Thẻn|47 Cơ Lao|48 Cống|49 Bố Y|
50 Si La|51 Pu Péo|52 Brâu|53 Ơ Đu|54 Rơ-măm|55 Người nước ngoài|00 Không rõ"""

SCHOOLING = [
    ("HT01", "Chưa đến tuổi đi học"), ("HT02", "Mầm non"), ("HT03", "Tiểu học"),
    ("HT04", "Trung học cơ sở"), ("HT05", "Trung học phổ thông"),
    ("HT06", "Giáo dục nghề nghiệp"), ("HT07", "Đã bỏ học"), ("HT08", "Không đi học"),
]

POVERTY = [("none", "Không nghèo"), ("near_poor", "Cận nghèo"), ("poor", "Nghèo")]

# (code, label, restricted, block)
CIRCUMSTANCES = [
    ("DB01", "Mồ côi cả cha và mẹ", False, "DB"),
    ("DB02", "Bị bỏ rơi", False, "DB"),
    ("DB03", "Không nơi nương tựa", False, "DB"),
    ("DB04", "Khuyết tật", False, "DB"),
    ("DB05", "Nhiễm HIV/AIDS", True, "DB"),
    ("DB06", "Nghiện ma túy", True, "DB"),
    ("DB07", "Phải bỏ học kiếm sống chưa hoàn thành phổ cập giáo dục THCS", False, "DB"),
    ("DB08", "Bị tổn hại nghiêm trọng về thể chất và tinh thần do bị bạo lực", True, "DB"),
    ("DB09", "Vi phạm pháp luật", True, "DB"),
    ("DB10", "Bị bóc lột", True, "DB"),
    ("DB11", "Bị tham gia lao động trái quy định", True, "DB"),
    ("DB12", "Bị xâm hại tình dục", True, "DB"),
    ("DB13", "Bị mua bán", True, "DB"),
    ("DB14", "Mắc bệnh hiểm nghèo hoặc bệnh phải điều trị dài ngày thuộc hộ nghèo "
             "hoặc cận nghèo", False, "DB"),
    ("DB15", "Di cư, lánh nạn, tị nạn chưa xác định được cha mẹ hoặc không có người "
             "chăm sóc", False, "DB"),
    ("NC01", "Có nguy cơ rơi vào hoàn cảnh đặc biệt", False, "NC"),
    ("NC02", "Sống trong gia đình nghèo, cận nghèo", False, "NC"),
    ("K01", "Bị bắt cóc, chiếm đoạt, đánh tráo", True, "K"),
    ("K02", "Bị tử vong do tai nạn thương tích", False, "K"),
    ("K03", "Bị thương tích", False, "K"),
]

# Detail options, by list, for the circumstance that asks for them (local codes).
DETAILS = {
    ("disability_type", "DB04"): [
        "Vận động", "Nghe, nói", "Nhìn", "Thần kinh, tâm thần", "Trí tuệ", "Khác"],
    ("disability_level", "DB04"): ["Đặc biệt nặng", "Nặng", "Nhẹ"],
    ("risk_reason", "NC01"): [
        "Bỏ học chưa hoàn thành phổ cập giáo dục THCS", "Gia đình có vấn đề xã hội",
        "Gia đình có người mắc tệ nạn xã hội", "Gia đình có người vi phạm pháp luật",
        "Cha mẹ đi làm ăn xa", "Mồ côi cha hoặc mẹ", "Cha mẹ đều là trẻ em",
        "Cha mẹ bị hạn chế quyền hoặc trẻ tạm cách ly", "Khác"],
    ("injury_cause", "K03"): [
        "Đuối nước", "Giao thông", "Ngã", "Bỏng", "Ngộ độc", "Điện giật", "Động vật cắn",
        "Vật sắc nhọn", "Khác"],
}
DETAIL_PREFIX = {
    "disability_type": "KT", "disability_level": "MD", "risk_reason": "LD", "injury_cause": "NN"
}

SUPPORT = [
    ("TG01", "Trợ giúp y tế"),
    ("TG02", "Trợ giúp giáo dục, đào tạo và giáo dục nghề nghiệp"),
    ("TG03", "Trợ giúp pháp lý, tư vấn"),
    ("TG04", "Trợ giúp xã hội"),
    ("TG05", "Trợ giúp thường xuyên"),
    ("TG06", "Tư vấn, trị liệu tâm lý"),
]

RELATION = [("father", "Cha"), ("mother", "Mẹ"), ("guardian", "Người giám hộ"),
            ("other", "Người chăm sóc khác")]

code_item = sa.table(
    "code_item",
    sa.column("list_name", sa.String), sa.column("code", sa.String),
    sa.column("label", sa.String), sa.column("position", sa.Integer),
    sa.column("restricted", sa.Boolean), sa.column("block", sa.String),
    sa.column("parent", sa.String), sa.column("active", sa.Boolean),
)


def _row(list_name, position, code, label, restricted=False, block=None, parent=None):
    return {"list_name": list_name, "code": code, "label": label, "position": position,
            "restricted": restricted, "block": block, "parent": parent, "active": True}


def _nationalities():
    """ISO 3166-1 alpha-2 with Vietnamese names from pycountry; Việt Nam first, XX last."""
    vi = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["vi"])
    names = {c.alpha_2: vi.gettext(c.name) for c in pycountry.countries}
    ordered = ["VN"] + sorted((c for c in names if c != "VN"), key=lambda c: names[c].lower())
    rows = [_row("nationality", i, code, names[code]) for i, code in enumerate(ordered)]
    rows.append(_row("nationality", len(rows), "XX", "Không quốc tịch / không rõ"))
    return rows


def rows():
    out = [_row("sex", i, c, label) for i, (c, label) in enumerate(SEX)]
    ethnic = [item.strip().split(" ", 1) for item in ETHNICITY.replace("\n", "").split("|")]
    out += [_row("ethnicity", i, c, label) for i, (c, label) in enumerate(ethnic)]
    out += _nationalities()
    out += [_row("schooling_status", i, c, label) for i, (c, label) in enumerate(SCHOOLING)]
    out += [_row("poverty_status", i, c, label) for i, (c, label) in enumerate(POVERTY)]
    out += [_row("circumstance", i, c, label, restricted, block)
            for i, (c, label, restricted, block) in enumerate(CIRCUMSTANCES)]
    for (list_name, parent), labels in DETAILS.items():
        prefix = DETAIL_PREFIX[list_name]
        out += [_row(list_name, i, f"{prefix}{i + 1:02d}", label, parent=parent)
                for i, label in enumerate(labels)]
    out += [_row("support_form", i, c, label) for i, (c, label) in enumerate(SUPPORT)]
    out += [_row("caregiver_relation", i, c, label) for i, (c, label) in enumerate(RELATION)]
    return out


def upgrade():
    op.create_table(
        "code_item",
        sa.Column("list_name", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("restricted", sa.Boolean(), nullable=False),
        sa.Column("block", sa.String(length=4), nullable=True),
        sa.Column("parent", sa.String(length=10), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("list_name", "code", name=op.f("pk_code_item")),
    )
    op.bulk_insert(code_item, rows())


def downgrade():
    op.drop_table("code_item")

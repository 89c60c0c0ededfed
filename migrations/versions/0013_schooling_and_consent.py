"""schooling that fits the age, the level a dropout left, and consent records (issue 14 §1.3, §2.3)

The child gains ``school_left_level`` and ``school_left_on`` (set only while the status is
HT07, đã bỏ học); a new ``consent`` table records who consented to what and when. Three small
code lists (local codes, DOMAIN §4 style): ``school_level`` (the level a dropout left),
``consent_person`` (who consents) and ``consent_purpose`` (what for).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

LISTS = {
    "school_level": [("TH", "Tiểu học"), ("THCS", "Trung học cơ sở"),
                     ("THPT", "Trung học phổ thông")],
    "consent_person": [("guardian", "Người giám hộ"), ("father", "Cha"), ("mother", "Mẹ"),
                       ("child", "Trẻ em (chính trẻ)")],
    "consent_purpose": [("DY01", "Chia sẻ thông tin với cơ quan, tổ chức hỗ trợ"),
                        ("DY02", "Chuyển tuyến, chuyển gửi dịch vụ"),
                        ("DY03", "Sử dụng hình ảnh"), ("DY04", "Khác")],
}

code_item = sa.table(
    "code_item",
    sa.column("list_name", sa.String), sa.column("code", sa.String),
    sa.column("label", sa.String), sa.column("position", sa.Integer),
    sa.column("restricted", sa.Boolean), sa.column("block", sa.String),
    sa.column("parent", sa.String), sa.column("active", sa.Boolean),
)


def upgrade():
    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.add_column(sa.Column("school_left_level", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("school_left_on", sa.Date(), nullable=True))
    op.create_table(
        "consent",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("person", sa.String(length=10), nullable=False),
        sa.Column("person_name", sa.String(length=100), nullable=False),
        sa.Column("purpose", sa.String(length=10), nullable=False),
        sa.Column("purpose_other", sa.String(length=200), nullable=False),
        sa.Column("given", sa.Boolean(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["child_id"], ["child.id"], name=op.f("fk_consent_child_id_child")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user_account.id"],
                                name=op.f("fk_consent_recorded_by_id_user_account")),
        sa.ForeignKeyConstraint(["withdrawn_by_id"], ["user_account.id"],
                                name=op.f("fk_consent_withdrawn_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent")),
    )
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_child_id"), ["child_id"], unique=False)
    op.bulk_insert(code_item, [
        {"list_name": name, "code": code, "label": label, "position": i, "restricted": False,
         "block": None, "parent": None, "active": True}
        for name, rows in LISTS.items() for i, (code, label) in enumerate(rows)])


def downgrade():
    op.execute(code_item.delete().where(code_item.c.list_name.in_(list(LISTS))))
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_child_id"))
    op.drop_table("consent")
    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.drop_column("school_left_on")
        batch_op.drop_column("school_left_level")

"""Valid child records to start from; each test changes one thing."""

from datetime import date

CAPTURE = date(2025, 6, 1)
MOTHER = {"relation": "mother", "full_name": "Lò Thị Hoa", "personal_id": "014185012345",
          "phone": "0912345678"}
CHILD = {"full_name": "Nguyễn Văn An", "sex": "1", "date_of_birth": "2015-03-04",
         "ethnicity_code": "03", "nationality": "VN", "personal_id": "014215012345",
         "village_code": "03808-001"}


def record(child: dict | None = None, **sections) -> dict:
    """A valid record (a boy born 2015 with his mother), ``child`` fields and sections replaced."""
    data = {"child": {**CHILD, **(child or {})}, "caregivers": [dict(MOTHER)],
            "circumstances": [], "support": []}
    data.update(sections)
    return data

import pytest

from fieldapp.auth.passwords import hash_password, verify_password

SECRET = "mat-khau-thu-2026"


def test_hash_is_argon2id_with_at_least_the_owasp_parameters():
    encoded = hash_password(SECRET)
    assert encoded.startswith("$argon2id$")
    # $argon2id$v=19$m=19456,t=2,p=1$salt$hash
    params = dict(part.split("=") for part in encoded.split("$")[3].split(","))
    assert int(params["t"]) >= 2 and int(params["m"]) >= 19456 and int(params["p"]) >= 1


@pytest.mark.parametrize(
    ("stored", "given", "expected"),
    [
        (hash_password(SECRET), SECRET, True),
        (hash_password(SECRET), SECRET + "x", False),
        (None, SECRET, False),
        (None, "", False),
        ("not-a-hash", SECRET, False),
    ],
)
def test_verify_password(stored, given, expected):
    assert verify_password(stored, given) is expected

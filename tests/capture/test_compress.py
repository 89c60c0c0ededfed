"""Text answers are gzipped for clients that accept it; revalidation still gets its 304."""

import gzip

import pytest

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.mark.parametrize("path", ["/static/js/htmx-2.0.11.min.js", "/static/css/app.css",
                                  "/sw.js", "/login", "/api/v1/openapi.json"])
def test_text_is_gzipped_when_accepted(client, path):
    with client.get(path) as plain, client.get(path, headers=GZIP) as packed:
        _check(plain, packed)


def _check(plain, packed):
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.vary
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 2
    assert "Content-Encoding" not in plain.headers


def test_a_compressed_static_file_revalidates_to_304(client):
    with client.get("/static/css/app.css", headers=GZIP) as first:
        etag = first.headers["ETag"]
    assert etag.startswith("W/")
    with client.get("/static/css/app.css", headers={**GZIP, "If-None-Match": etag}) as again:
        assert again.status_code == 304


@pytest.mark.parametrize("path", ["/static/icons/icon-192.png", "/static/icons/icon.svg"])
def test_images_and_small_answers_stay_as_they_are(client, path):
    with client.get(path, headers=GZIP) as answer:
        assert answer.status_code == 200 and "Content-Encoding" not in answer.headers

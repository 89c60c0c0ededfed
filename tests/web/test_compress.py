"""Text answers are compressed for clients that accept it (Brotli, else gzip); revalidation
still gets its 304."""

import gzip
import re

import brotli
import pytest

from fieldapp.compress import accepted

GZIP = {"Accept-Encoding": "gzip, deflate"}
BROTLI = {"Accept-Encoding": "gzip, deflate, br, zstd"}
# A CSRF token is signed with the second it was made: two requests a second apart get two
# (the /login page), so it is masked before the bodies are compared.
CSRF_TOKEN = re.compile(rb'"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27}"')
TEXTS = ["/static/js/htmx-2.0.11.min.js", "/static/css/app.css", "/sw.js", "/login",
         "/api/v1/openapi.json"]


@pytest.mark.parametrize("path", TEXTS)
def test_text_is_gzipped_when_accepted(client, path):
    with client.get(path) as plain, client.get(path, headers=GZIP) as packed:
        _check(plain, packed, "gzip", gzip.decompress)


@pytest.mark.parametrize("path", TEXTS)
def test_text_is_brotli_when_accepted(client, path):
    with client.get(path) as plain, client.get(path, headers=BROTLI) as packed:
        _check(plain, packed, "br", brotli.decompress)
    with client.get(path, headers=GZIP) as gzipped:
        assert len(packed.data) < len(gzipped.data)


@pytest.mark.parametrize(("header", "encoding"), [
    ("gzip, deflate, br, zstd", "br"), ("gzip, deflate", "gzip"), ("br;q=0, gzip", "gzip"),
    ("identity", None), ("", None), ("BR", "br"), ("gzip;q=0.5", "gzip"), ("br;q=x", None)])
def test_the_encoding_follows_what_the_client_accepts(header, encoding):
    assert accepted(header) == encoding


def _check(plain, packed, encoding, decompress):
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.vary and "Accept-Encoding" in plain.vary
    assert (CSRF_TOKEN.sub(b'"token"', decompress(packed.data))
            == CSRF_TOKEN.sub(b'"token"', plain.data))
    assert len(packed.data) < len(plain.data) / 2
    assert "Content-Encoding" not in plain.headers


def test_a_compressed_static_file_revalidates_to_304(client):
    for headers in (GZIP, BROTLI):
        with client.get("/static/css/app.css", headers=headers) as first:
            etag = first.headers["ETag"]
        assert etag.startswith("W/")
        with client.get("/static/css/app.css", headers={**headers, "If-None-Match": etag}) as again:
            assert again.status_code == 304


@pytest.mark.parametrize("path", ["/static/icons/icon-192.png", "/static/icons/icon.svg"])
def test_images_and_small_answers_stay_as_they_are(client, path):
    with client.get(path, headers=BROTLI) as answer:
        assert answer.status_code == 200 and "Content-Encoding" not in answer.headers

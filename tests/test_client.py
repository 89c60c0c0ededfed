"""fieldapp.client: a User-Agent header as an officer reads it."""

import pytest

from fieldapp.client import LABEL_LIMIT, agent_label

CHROME = "Mozilla/5.0 (Linux; Android 13; SM-A135F) AppleWebKit/537.36 (KHTML, like Gecko) "


@pytest.mark.parametrize(("header", "label"), [
    (CHROME + "Chrome/131.0.0.0 Mobile Safari/537.36", "Android 13 · Chrome 131"),
    ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.6778.135 Mobile Safari/537.36", "Android 10 · Chrome 131"),
    ("Mozilla/5.0 (Linux; Android 12; SM-A125F) AppleWebKit/537.36 (KHTML, like Gecko) "
     "SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
     "Android 12 · Samsung Internet 23"),
    ("Mozilla/5.0 (Linux; Android 11; Redmi Note 8) AppleWebKit/537.36 (KHTML, like Gecko) "
     "coc_coc_browser/130.0.238 Chrome/124.0.6367.238 Mobile Safari/537.36",
     "Android 11 · Cốc Cốc 130"),
    ("Mozilla/5.0 (Linux; Android 13; SM-A135F; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Version/4.0 Chrome/131.0.0.0 Mobile Safari/537.36 Zalo android/12100684",
     "Android 13 · Zalo"),
    ("Mozilla/5.0 (Linux; Android 13; SM-A135F; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Version/4.0 Chrome/131.0.0.0 Mobile Safari/537.36", "Android 13 · WebView 131"),
    ("Mozilla/5.0 (Android 14; Mobile; rv:131.0) Gecko/131.0 Firefox/131.0",
     "Android 14 · Firefox 131"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
     "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "iOS 17.5 · Safari 17"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
     "(KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
     "iOS 18.1 · Chrome 131"),
    ("Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/16.6 Mobile/15E148 Safari/604.1", "iPadOS 16.6 · Safari 16"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86", "Windows · Edge 131"),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Safari/537.36", "Linux · Chrome 131"),
    ("curl/8.5.0", "curl/8.5.0"),
    ("python-requests/2.32\x00\x07", "python-requests/2.32"),
    ("", None),
    (None, None),
    ("\x00\x01", None),
])
def test_a_user_agent_as_an_officer_reads_it(header, label):
    assert agent_label(header) == label


def test_an_unknown_header_is_cut_short():
    assert agent_label("x" * 5000) == "x" * LABEL_LIMIT

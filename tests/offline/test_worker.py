"""The installable app's files: the service worker, its shared scripts, the manifest and the
offline page (ARCHITECTURE §7)."""

import json
import re

from tests.children.pages import parse


def _config(client) -> dict:
    body = client.get("/sw.js").get_data(as_text=True)
    return json.loads(re.match(r"self\.FA_CONFIG = (\{.*?\});\n", body).group(1))


def test_the_worker_is_served_at_the_root_never_cached_and_versioned(client, app):
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer.mimetype == "text/javascript"
    assert answer.headers["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in answer.headers["Content-Security-Policy"]  # the worker's own
    body = answer.get_data(as_text=True)
    for part in ("FA.caches", 'addEventListener("sync"', "FA.replay.run"):
        assert part in body
    config = _config(client)
    assert re.fullmatch(r"[0-9a-f]{12}", config["version"])
    assert config["pages"] == ["/collect"]
    app.config["OFFLINE_BUILD"] = "deploy-2"
    try:
        assert _config(client)["version"] != config["version"]  # a deploy makes a new worker
    finally:
        app.config.pop("OFFLINE_BUILD")
    assert _config(client)["version"] == config["version"]  # the same files, the same version


def test_everything_the_capture_page_loads_is_precached(client, login, collector):
    login(collector)
    html = client.get("/collect").get_data(as_text=True)
    precache = set(_config(client)["precache"])
    loaded = set(re.findall(r'<script src="([^"]+)"', html))
    loaded |= set(re.findall(r'<link rel="(?:stylesheet|icon|manifest)" href="([^"]+)"', html))
    assert loaded and loaded <= precache, loaded - precache  # print.css too: nothing fails
    for url in precache:
        with client.get(url) as answer:
            assert answer.status_code == 200, url
    assert "/offline" in precache


def test_the_worker_imports_the_outbox_code_the_pages_use(client, login, collector):
    login(collector)
    page = client.get("/collect").get_data(as_text=True)
    url = re.search(r'<script src="(/sw-shared\.js\?v=[0-9a-f]{12})"', page).group(1)
    shared = client.get(url).get_data(as_text=True)
    worker = client.get("/sw.js").get_data(as_text=True)
    assert f'importScripts("{url}");' in worker  # the same URL: the page's bytes
    for part in ("FA.idb=", "FA.outbox=", "FA.replay="):
        assert part in shared and part not in worker
    assert "htmx" not in shared


def test_the_manifest_installs_a_vietnamese_app_that_starts_on_the_capture_page(client):
    answer = client.get("/manifest.webmanifest")
    assert answer.mimetype == "application/manifest+json"
    manifest = json.loads(answer.get_data(as_text=True))
    assert manifest["lang"] == "vi" and manifest["start_url"] == "/collect"
    assert manifest["display"] == "standalone" and manifest["scope"] == "/"
    assert "trẻ em" in manifest["name"] and "không có sóng" in manifest["description"]
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as answer:
            assert answer.status_code == 200


def test_the_offline_page_needs_no_login_and_names_no_one(client):
    answer = client.get("/offline")
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert "Mất kết nối" in html and 'href="/collect"' in html
    assert "csrf" not in html  # the same page for every user: nothing personal is cached


def test_pages_link_the_manifest(client):
    assert 'rel="manifest" href="/manifest.webmanifest"' in client.get("/login").get_data(
        as_text=True)


def test_the_capture_form_labels_every_input(client, login, collector):
    login(collector)
    forms = parse(client.get("/collect").get_data(as_text=True))
    inputs = [c for c in forms.controls if c.get("type") not in ("hidden", "submit", "button")]
    assert len(inputs) > 30
    for control in inputs:
        assert control.get("id") in forms.labels, control


def test_the_generated_scripts_revalidate_to_304(client):
    for path in ("/sw.js", "/sw-shared.js", "/capture.js"):
        etag = client.get(path).headers["ETag"]
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304


def test_the_capture_page_gets_its_scripts_joined_in_one_answer(client):
    joined = client.get("/capture.js").get_data(as_text=True)
    for name in ("FA.py=", "FA.validate=", "FA.packet=", "FA.messages=",
                 "FA.form=", "FA.lists=", "FA.status=", "start();"):
        assert name in joined
    assert joined.index("FA.py=") < joined.index("FA.validate=")  # what it needs first
    assert joined.index("FA.status=") < joined.index("start();")
    # Minified, each file after its name, so that an error's position leads to it.
    assert joined.startswith("/*! js/pyvalues.js */\n")
    assert joined.index("/*! js/status.js */") < joined.index("FA.status=")

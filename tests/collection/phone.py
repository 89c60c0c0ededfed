"""static/js/validate.js (with pyvalues.js, what it reads values with) in Debian's Chromium: a
batch of snapshots judged in one page.

Playwright's sync API refuses to start in a thread where another instance runs (the browser
tests keep theirs for the whole session), so this page lives in a thread of its own.
"""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

JS = Path(__file__).resolve().parents[2] / "static" / "js"
RULES = (JS / "pyvalues.js", JS / "validate.js")  # in the order /capture.js joins them

# ``has`` and ``label`` as the phone builds it from the packet's code lists (packet.js); one failing
# snapshot answers its exception instead of hiding the verdicts of the others.
JUDGE_ALL = """([snapshots, ctx, lists, rule]) => {
  const has = (list, code) => (lists[list] || []).some((item) => item.code === code);
  const label = (list, code) => ((lists[list] || []).find((item) => item.code === code)
                                 || { label: code }).label;
  const context = Object.assign({}, ctx, { has, label });
  return snapshots.map((data) => {
    try {
      return FA.validate[rule](data, context);
    } catch (error) {
      return { exception: String(error && error.stack || error) };
    }
  });
}"""


def judge_all(snapshots: list[dict], ctx: dict, lists: dict,
              rule: str = "snapshot") -> list[dict]:
    """``FA.validate[rule](data, ctx)`` of every snapshot (``report``: a protection report's
    data), ``has`` built from ``lists`` (``{list name: [{"code": ...}, ...]}``, as the packet
    sends them)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_judge_all, snapshots, ctx, lists, rule).result()


def _judge_all(snapshots: list[dict], ctx: dict, lists: dict, rule: str) -> list[dict]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_content("<html><body></body></html>")
            page.add_script_tag(content="self.FA = self.FA || {};")
            for script in RULES:
                page.add_script_tag(path=str(script))
            return page.evaluate(JUDGE_ALL, [snapshots, ctx, lists, rule])
        finally:
            browser.close()

"""A headless Chromium on a JupyterLab page, with the few moves a notebook user makes.

It also records every kernel message the page receives on its kernel websockets (JSON frames and
the binary v1.kernel.websocket.jupyter.org frames), so a check can print what JupyterLab saw.
"""

import json
import os
import re
import time

from playwright.sync_api import sync_playwright

DONE_PROMPT = re.compile(r"\[\d+\]")


def decode_frame(payload):
    """One websocket frame as (channel, header, parent_header, content), or None when it is not a message."""
    try:
        if isinstance(payload, str):
            m = json.loads(payload)
            return m.get("channel"), m.get("header", {}), m.get("parent_header", {}), m.get("content", {})
        count = int.from_bytes(payload[:8], "little")
        offsets = [int.from_bytes(payload[8 * (i + 1):8 * (i + 2)], "little") for i in range(count)]
        channel = payload[offsets[0]:offsets[1]].decode()
        parts = [json.loads(payload[offsets[i]:offsets[i + 1]] or b"{}") for i in range(1, min(5, count - 1))]
        header, parent, _metadata, content = parts
        return channel, header, parent, content
    except (ValueError, IndexError, KeyError):
        return None


class LabSession:
    def __init__(self, url, root, chromium, shots, headless=True):
        self.url, self.root, self.chromium, self.shots, self.headless = url, root, chromium, shots, headless
        self.messages = []  # [time, direction, kernel id, channel, msg_type, parent msg_type, content]

    def __enter__(self):
        self._pw = sync_playwright().start()
        opts = {"headless": self.headless, "args": ["--no-sandbox"]}
        if self.chromium:
            opts["executable_path"] = self.chromium
        self.browser = self._pw.chromium.launch(**opts)
        self.page = self.browser.new_page(viewport={"width": 1280, "height": 1000})
        self.page.on("websocket", self._watch)
        self.page.goto(self.url + "/lab")
        self.page.wait_for_selector(".jp-LauncherCard", timeout=120_000)
        return self

    def __exit__(self, *exc):
        self.browser.close()
        self._pw.stop()

    def _watch(self, ws):
        found = re.search(r"/api/kernels/([0-9a-f-]+)/channels", ws.url)
        if not found:
            return
        kernel = found.group(1)

        def on_frame(direction):
            def record(payload):
                msg = decode_frame(payload)
                if msg:
                    channel, header, parent, content = msg
                    self.messages.append([time.time(), direction, kernel, channel, header.get("msg_type"),
                                          parent.get("msg_type", ""), content])
            return record

        ws.on("framereceived", on_frame("in"))
        ws.on("framesent", on_frame("out"))

    # --- notebooks ------------------------------------------------------------------------------

    def new_notebook(self, display_name):
        """Opens a launcher (the + on the tab bar when one is not showing) and clicks the kernel's Notebook card."""
        cards = self.page.locator('.jp-Launcher:visible .jp-LauncherCard[data-category="Notebook"][title="%s"]'
                                  % display_name)
        if cards.count() == 0:
            self.page.locator(".lm-TabBar-addButton:visible").first.click()
        cards.first.click()
        panel = self.notebook()
        panel.locator(".jp-Cell").first.wait_for(timeout=60_000)
        # a cell run before the kernel is connected stays "[ ]": wait for the status bar's "NAME | Idle"
        idle = self.page.locator("#jp-main-statusbar").get_by_text(display_name + " | Idle")
        idle.first.wait_for(timeout=180_000)
        return panel

    def notebook(self):
        return self.page.locator(".jp-NotebookPanel:visible").last

    def kernel_id(self):
        """The id of the current notebook's kernel, from the sessions API (the session named by the tab's path)."""
        path = self.notebook_path()
        deadline = time.time() + 60
        while time.time() < deadline:
            for s in self.page.request.get(self.url + "/api/sessions").json():
                if s.get("path") == path and s.get("kernel"):
                    return s["kernel"]["id"]
            time.sleep(0.5)
        raise RuntimeError("no kernel session for " + path)

    def notebook_path(self):
        title = self.page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel")
        return title.first.inner_text().strip()

    def cells(self):
        return self.notebook().locator(".jp-Notebook .jp-Cell")

    def type_in_last_cell(self, code):
        """Puts code into the last cell's editor (replacing what is there); returns the cell."""
        cells = self.cells()
        cell = cells.nth(cells.count() - 1)  # pinned: after Shift+Enter, .last is the new cell
        cell.locator(".cm-content").click()
        self.page.keyboard.press("Control+a")
        self.page.keyboard.insert_text(code)
        return cell

    def run_last_cell(self, code, wait=True, timeout_ms=120_000):
        """Types code into the last cell and runs it with Shift+Enter (which adds the next cell)."""
        cell = self.type_in_last_cell(code)
        self.page.keyboard.press("Shift+Enter")
        if wait:
            self.wait_done(cell, timeout_ms)
        return cell

    def wait_done(self, cell, timeout_ms=120_000):
        prompt = cell.locator(".jp-InputArea-prompt")
        deadline = time.time() + timeout_ms / 1000
        while time.time() < deadline:
            if DONE_PROMPT.search(prompt.inner_text()):
                self.page.wait_for_timeout(300)  # outputs after the reply
                return
            self.page.wait_for_timeout(200)
        raise TimeoutError("cell still running after %d s: %s" % (timeout_ms / 1000, prompt.inner_text()))

    def save(self, name_on_first_save, timeout_s=30):
        """Ctrl+S in command mode; answers the first save's rename dialog with name_on_first_save;
        waits until the tab is no longer marked dirty; returns the file's path."""
        self.page.keyboard.press("Escape")
        self.page.keyboard.press("Control+s")
        dialog = self.page.locator(".jp-Dialog")
        try:
            dialog.first.wait_for(timeout=2000)
            dialog.locator("input.jp-mod-styled, input[type=text]").first.fill(name_on_first_save)
            dialog.locator("button.jp-mod-accept").first.click()
        except Exception:
            pass  # saved before: no dialog
        tab = self.page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
        deadline = time.time() + timeout_s
        while time.time() < deadline and "jp-mod-dirty" in (tab.first.get_attribute("class") or ""):
            self.page.wait_for_timeout(200)
        self.page.wait_for_timeout(500)
        return os.path.join(self.root, self.notebook_path())

    def interrupt(self):
        """Clicks the notebook toolbar's interrupt button (the square)."""
        self.notebook().locator('.jp-Toolbar [data-command="notebook:interrupt-kernel"]').first.click()

    def shot(self, name, target=None):
        path = os.path.join(self.shots, "lab-%s.png" % name)
        (target or self.page).screenshot(path=path)
        return path

    def messages_since(self, t0, kernel):
        return [m for m in self.messages if m[0] >= t0 and m[2] == kernel]

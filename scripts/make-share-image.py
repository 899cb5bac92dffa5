"""Draw static/img/share.png, the picture a shared link to the site shows
(og:image in templates/base.html), from scripts/share-image.svg.

Debian's Chromium (the browser tests' own) draws the SVG at 1200 × 630, the size
social networks ask for, with the machine's fonts (Liberation Sans, Debian's
fonts-liberation); nothing is fetched. Run it after changing the SVG, and check
the PNG stays small (under 100 KB):

    .venv/bin/python scripts/make-share-image.py
"""

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "scripts" / "share-image.svg"
TARGET = ROOT / "static" / "img" / "share.png"
WIDTH, HEIGHT = 1200, 630
MAX_BYTES = 100_000


def main() -> int:
    chromium = shutil.which("chromium")
    if not chromium:
        message = "Debian's Chromium is needed: apt-get install -y chromium"
        print(message, file=sys.stderr)
        return 1
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(
            viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=1
        )
        page.set_content(
            "<!DOCTYPE html><style>html, body { margin: 0; }"
            " svg { display: block; }</style>" + SOURCE.read_text()
        )
        page.screenshot(path=TARGET, type="png")
        browser.close()
    size = TARGET.stat().st_size
    print(f"{TARGET.relative_to(ROOT)}: {WIDTH} × {HEIGHT}, {size:,} bytes")
    if size > MAX_BYTES:
        print(f"larger than {MAX_BYTES:,} bytes: simplify the picture", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Fixtures for the real-browser suite: one JupyterLab server and one Chromium per session."""

import os
import shutil
from pathlib import Path

import pytest

from course import browser as lab

REQUIRE = "COURSE_REQUIRE_BROWSER"


@pytest.fixture(scope="session")
def chromium_path():
    path = lab.find_chromium()
    if path is None:
        message = ("no Chromium found (install Debian's chromium, or set COURSE_CHROMIUM): "
                   "real-browser tests not run")
        if os.environ.get(REQUIRE) == "1":
            pytest.fail(f"{message}, but {REQUIRE}=1 requires them")
        pytest.skip(message)
    return path


ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


@pytest.fixture(scope="session")
def server(chromium_path):
    with lab.lab_server(folders=("lessons", "solutions")) as running:
        try:
            yield running
        finally:
            # the server's folder is deleted on exit; keep its log beside the screenshots
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(running.log, ARTIFACTS / "jupyterlab.log")


@pytest.fixture(scope="session")
def browser(chromium_path):
    with lab.chromium(chromium_path) as running:
        yield running


@pytest.fixture
def page_and_guard(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    guard = lab.OffsiteGuard()
    guard.attach(context)
    page = context.new_page()
    try:
        yield page, guard
    finally:
        context.close()


@pytest.fixture(scope="module")
def widget_host_page(browser):
    """A blank page with a 1100 px wide #host, for tests that run the figure widget without JupyterLab."""
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    # standards mode, as in JupyterLab: plotly.js sizes its plots from percentages of their parents
    page.set_content("<!DOCTYPE html><html><body><div style='width:1100px'><div id='host'></div></div></body></html>")
    yield page
    context.close()

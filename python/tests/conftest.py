"""Shared fixtures: the why401 binary (WHY401_BIN, else the repository's
bin/why401, built by ./build.sh) and the loopback fixture server."""

import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))  # the package from the source tree
sys.path.insert(0, str(HERE))

if not os.environ.get("WHY401_BIN"):
    built = REPO / "bin" / "why401"
    if built.is_file():
        os.environ["WHY401_BIN"] = str(built)

from server import Server  # noqa: E402


@pytest.fixture(scope="session")
def server():
    srv = Server().start()
    yield srv
    srv.stop()

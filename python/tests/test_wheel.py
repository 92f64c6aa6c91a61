"""The wheel (./build.sh python) installed with pip --no-index into a fresh
virtual environment, and the examples of python/README.md run there against
the loopback server (their https://shop.example and https://api.example.com
pointed at it): the shipped binary, not the repository's, answers them."""

import glob
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def fits(path):
    """Whether a wheel's platform tags include one of this interpreter's (bin/ may hold
    the wheels of every platform: ./build.sh python all)."""
    from packaging.tags import sys_tags

    ours = {str(t) for t in sys_tags()}
    py, abi, plats = os.path.basename(path)[:-4].split("-")[-3:]
    return any("%s-%s-%s" % (py, abi, p) in ours for p in plats.split("."))


def wheel():
    found = sorted((w for w in glob.glob(str(REPO / "bin" / "why401-*.whl")) if fits(w)), key=os.path.getmtime)
    if not found:
        if os.environ.get("WHY401_REQUIRE_WHEEL"):
            pytest.fail("no wheel for this platform in bin/: run ./build.sh python")
        pytest.skip("no wheel for this platform in bin/ (./build.sh python builds it)")
    return found[-1]


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    whl = wheel()
    d = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(d / "venv")], check=True, timeout=300)
    py = d / "venv" / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "--no-index", "--quiet", whl], check=True, timeout=300, env=clean_env())
    return d, py


def clean_env():
    env = {k: v for k, v in os.environ.items() if k not in ("WHY401_BIN", "PYTHONPATH")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


BLOCK = re.compile(r"```(python|sh)\n(.*?)```(?:\n\n(?:[^`]*?)This prints:\n\n```\n(.*?)```)?", re.S)


def examples():
    text = (REPO / "python" / "README.md").read_text()
    return [(m.group(1), m.group(2), m.group(3)) for m in BLOCK.finditer(text)]


def test_installed_package_uses_its_own_binary(venv):
    d, py = venv
    out = subprocess.run([str(py), "-c", "import why401, why401._process as p; print(why401.__file__); print(p.find_binary())"],
                         cwd=str(d), env=clean_env(), stdout=subprocess.PIPE, text=True, check=True, timeout=60).stdout.split()
    assert "/venv/" in out[0] and out[1].endswith("/why401/_bin/why401"), out
    v = subprocess.run([str(py.parent / "why401"), "--version"], env=clean_env(), stdout=subprocess.PIPE, text=True, check=True, timeout=60)
    assert v.stdout.startswith("why401 ")


def test_readme_examples(venv, server):
    d, py = venv
    ran = 0
    spider = None
    for lang, code, want in examples():
        code = code.replace("https://shop.example", server.base).replace("https://api.example.com", server.base)
        if lang == "python" and code.startswith("# spider.py"):
            spider = d / "spider.py"
            spider.write_text(code)
            continue
        if lang != "python":
            continue
        script = d / ("example%d.py" % ran)
        script.write_text(code)
        done = subprocess.run([str(py), str(script)], cwd=str(d), env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
        assert done.returncode == 0, (code, done.stderr)
        if want:
            for line in want.strip("\n").split("\n"):
                assert line in done.stdout, (line, done.stdout)
        ran += 1
    assert ran >= 3
    assert spider is not None
    out = d / "products.json"
    done = subprocess.run([str(py), "-m", "scrapy", "runspider", "spider.py", "-O", str(out)], cwd=str(d), env=clean_env(),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    for line in ("'why401/action/rotate_session': 1", "'why401/rotated': 1", "'why401/vendor/cloudflare': 1", "'why401/verdict/bot': 1"):
        assert line in done.stderr, done.stderr[-3000:]
    assert '"title": "products"' in out.read_text()

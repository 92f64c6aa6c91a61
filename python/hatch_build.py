"""The wheel's build hook: the why401 binary of one platform goes into
why401/_bin/, and the wheel is tagged for that platform (py3-none-<platform>):
the Python layer is pure, the binary is not.

The binary is $WHY401_BINARY when set (./build.sh python builds it);
otherwise it is built here with Go from the repository around this folder,
for $WHY401_GOOS/$WHY401_GOARCH (default: this machine's), cgo off so it
runs on any libc. Go binaries are static: one Linux binary serves both
glibc (manylinux) and musl (musllinux) systems.
"""

import os
import subprocess
import tempfile

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# GOOS/GOARCH → the wheel's platform tags (Go 1.26 needs macOS 12 and Linux 3.2).
PLATFORMS = {
    ("linux", "amd64"): "manylinux_2_17_x86_64.manylinux2014_x86_64.musllinux_1_1_x86_64",
    ("linux", "arm64"): "manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64",
    ("darwin", "amd64"): "macosx_12_0_x86_64",
    ("darwin", "arm64"): "macosx_12_0_arm64",
    ("windows", "amd64"): "win_amd64",
    ("windows", "arm64"): "win_arm64",
}


def _go_env(name: str) -> str:
    return subprocess.run(["go", "env", name], check=True, stdout=subprocess.PIPE, text=True).stdout.strip()


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version, build_data):
        if self.target_name != "wheel":
            return
        goos = os.environ.get("WHY401_GOOS") or _go_env("GOOS")
        goarch = os.environ.get("WHY401_GOARCH") or _go_env("GOARCH")
        if (goos, goarch) not in PLATFORMS:
            raise RuntimeError("why401: no wheel platform for %s/%s (known: %s)" % (goos, goarch, sorted(PLATFORMS)))
        exe = "why401.exe" if goos == "windows" else "why401"
        binary = os.environ.get("WHY401_BINARY")
        if not binary:
            out = tempfile.mkdtemp(prefix="why401-wheel-")
            binary = os.path.join(out, exe)
            repo = os.path.dirname(os.path.abspath(self.root))
            env = dict(os.environ, CGO_ENABLED="0", GOOS=goos, GOARCH=goarch)
            subprocess.run(["go", "build", "-trimpath", "-ldflags=-s -w", "-o", binary, "./cmd/why401"], cwd=repo, env=env, check=True)
        if not os.path.isfile(binary):
            raise RuntimeError("why401: WHY401_BINARY=%s is not a file" % binary)
        os.chmod(binary, 0o755)
        build_data["force_include"][binary] = "why401/_bin/" + exe
        build_data["pure_python"] = False
        build_data["tag"] = "py3-none-" + PLATFORMS[(goos, goarch)]

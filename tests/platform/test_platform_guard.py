"""The project package sits in platform/noaber and must never shadow the stdlib `platform`."""

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_import_platform_from_repo_root_is_the_standard_library():
    """From the repository root, `import platform` is the stdlib module and works."""
    code = (
        "import platform, sysconfig, os;"
        "print(os.path.dirname(platform.__file__) == sysconfig.get_paths()['stdlib']);"
        "print(platform.python_version())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[0] == "True"
    assert out[1] == ".".join(map(str, sys.version_info[:3]))


def test_platform_folder_is_not_a_package_and_noaber_is():
    assert not (REPO_ROOT / "platform" / "__init__.py").exists()
    out = subprocess.run(
        [sys.executable, "-c", "import noaber, os; print(os.path.dirname(noaber.__file__))"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(out) == REPO_ROOT / "platform" / "noaber"

"""The per-user folders libraries write into, moved into a temporary folder for the whole test session.

Tests write only into their temporary folders, and so do the programs they
start: matplotlib keeps a font cache and a configuration folder, Chromium its
crash-report settings, GLib's dconf a cache, pip its downloads, tldextract the
Public Suffix List (the crawl itself no longer does, see
crawler.components.offline) — all under $HOME unless told otherwise. Each of
these variables tells them otherwise; set in os.environ before anything is
imported, they hold for every child process too. HOME itself stays: a test
that writes into it is caught by a run under an empty HOME, and one test
(test_faults_network) removes these variables to check that a crawl writes
nothing into a fresh HOME.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

# Where each library looks before falling back to a folder in $HOME.
HOME_DERIVED = ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "MPLCONFIGDIR",
                "TLDEXTRACT_CACHE", "PIP_CACHE_DIR")


def _user_pip_config() -> Path | None:
    """The user's pip configuration (its index, e.g.), which a moved XDG_CONFIG_HOME would hide from pip."""
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    for candidate in (config_home / "pip" / "pip.conf", Path.home() / ".pip" / "pip.conf"):
        if candidate.is_file():
            return candidate
    return None


def redirect_user_folders() -> Path:
    """Point every HOME_DERIVED variable into a new temporary folder (removed at exit); returns that folder."""
    if "PIP_CONFIG_FILE" not in os.environ and (pip_config := _user_pip_config()) is not None:
        os.environ["PIP_CONFIG_FILE"] = str(pip_config)  # read, never written
    root = Path(tempfile.mkdtemp(prefix="newsarchive-tests-user-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    for name in HOME_DERIVED:
        os.environ[name] = str(root / name.lower())
    return root

# SPDX-License-Identifier: BSD-3-Clause
"""All numba-compiled kernels of ``rmt``, one module per idea.

Kernels never validate: they are called by plain-Python functions elsewhere in
the package that check and convert their input first. Status codes shared with
the Python layer are defined in :mod:`.onepoint`.
"""

import hashlib
import os
from pathlib import Path

_STAMP = "rmt_kernels.sha256"


def _cache_dirs(py_file: str) -> list[str]:
    """Where numba keeps the on-disk cache of functions defined in ``py_file`` (user dir first)."""
    dirs = []
    try:
        from numba.core import caching, config

        if config.CACHE_DIR:
            dirs.append(os.path.join(config.CACHE_DIR, caching._CacheLocator.get_suitable_cache_subpath(py_file)))
    except Exception:  # pragma: no cover - a numba without these internals: fall back to the in-tree cache
        pass
    dirs.append(os.path.join(os.path.dirname(py_file), "__pycache__"))
    return dirs


def _drop_stale_numba_cache() -> None:
    """Delete numba's cached machine code of these kernels when *any* kernel source changed.

    numba invalidates a cached function only when its own file changes, but the
    kernels call (and inline) functions of sibling files: after an edit to
    ``tail.py`` the cached ``onepoint`` kernels would silently keep the old tail
    code. One digest over every kernel source makes the whole cache stale together.
    """
    here = Path(__file__).parent
    sources = sorted(here.glob("*.py"))
    digest = hashlib.sha256(b"".join(p.name.encode() + p.read_bytes() for p in sources)).hexdigest()
    for d in set(_cache_dirs(str(here / "__init__.py"))):
        stamp = os.path.join(d, _STAMP)
        try:
            with open(stamp) as fh:
                if fh.read().strip() == digest:
                    continue
        except OSError:
            pass
        if not os.path.isdir(d):
            continue
        try:
            for name in os.listdir(d):
                if name.endswith((".nbi", ".nbc")) and name.split(".", 1)[0] in {p.stem for p in sources}:
                    os.remove(os.path.join(d, name))
            with open(stamp, "w") as fh:
                fh.write(digest)
        except OSError:  # a read-only install: numba falls back to its user-wide cache, keyed the same way
            pass


_drop_stale_numba_cache()

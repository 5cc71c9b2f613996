# SPDX-License-Identifier: BSD-3-Clause
"""numba's on-disk cache of the kernels is dropped as a whole when any kernel source changes."""

from rmt import _kernels


def test_stale_cache_is_dropped_and_fresh_cache_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(_kernels, "_cache_dirs", lambda py_file: [str(tmp_path)])
    stale = tmp_path / "onepoint.solve_grid-349.py311.nbi"
    other = tmp_path / "somebody_else.f-1.py311.nbi"
    stale.write_text("old machine code")
    other.write_text("not ours")
    (tmp_path / _kernels._STAMP).write_text("digest of older sources")
    _kernels._drop_stale_numba_cache()
    assert not stale.exists() and other.exists()
    fresh = tmp_path / "tail.tail_sums-186.py311.nbi"
    fresh.write_text("current machine code")
    _kernels._drop_stale_numba_cache()  # sources unchanged since the stamp: keep the cache
    assert fresh.exists()

# SPDX-License-Identifier: BSD-3-Clause
"""All numba-compiled kernels of ``rmt``, one module per idea.

Kernels never validate: they are called by plain-Python functions elsewhere in
the package that check and convert their input first. Status codes shared with
the Python layer are defined in :mod:`.onepoint`.
"""

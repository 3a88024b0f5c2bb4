"""Dividing a sum of money between areas in proportion to their populations.

The rule lives in the core (`omakouvola.apportion`, pure Python) so the committees'
allocations and the counting package split money the same way.
"""

from omakouvola.apportion import split_by_population

__all__ = ["split_by_population"]

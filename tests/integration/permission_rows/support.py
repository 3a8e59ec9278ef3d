"""Permission matrix rows of the support desk (issue 12)."""

from tests.helpers.matrix import SIGNED_IN, allowed

ROWS: dict = {}

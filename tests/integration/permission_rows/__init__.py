"""Per-app rows of the permission matrix: each module defines ROWS, a dict of URL name ->
roles (or {"get": roles, "post": roles}), built from tests.helpers.matrix."""

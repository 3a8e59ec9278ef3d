"""Helpers shared by every test package: users in a role, and the roles' URL table."""

"""Accounts, roles, login sessions and lockout."""

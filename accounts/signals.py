"""Signals for the floors above: accounts tells them of its events without importing them."""

from django.dispatch import Signal

# Sent with `user` when a supervisor deactivates an interviewer (survey frees their cases).
interviewer_deactivated = Signal()

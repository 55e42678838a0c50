"""Signals sampling sends, so downstream apps (fieldwork) can react without sampling
importing them."""

from django.dispatch import Signal

# Sent by services.replicates_release once the release is stored, with keyword arguments
# `sample` (the Sample) and `replicates` (every replicate released so far, sorted). When the
# release ran inside a caller's transaction, receivers run inside that transaction too.
replicates_released = Signal()

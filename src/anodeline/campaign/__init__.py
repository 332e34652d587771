"""Campaigns: many batches on one or more lines, planned near the bottleneck bound and proved air-free."""

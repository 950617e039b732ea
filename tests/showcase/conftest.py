"""Showcase tests: e-mails leave the outbox at once (the test's transaction never commits)."""

import pytest


@pytest.fixture(autouse=True)
def on_commit_runs_at_once(monkeypatch):
    monkeypatch.setattr("django.db.transaction.on_commit", lambda func, using=None, robust=False: func())

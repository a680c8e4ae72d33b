"""Helpers the whole suite shares: real processes (Celery worker, portal demo) and browser sign-in."""

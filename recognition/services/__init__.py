"""Writes of the recognition workflow (being split into one module per question)."""

from recognition.services.submission import *  # noqa: F403

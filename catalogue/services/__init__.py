"""Writes of the catalogue (being split into one module per question)."""

from catalogue.services.programmes import *  # noqa: F403

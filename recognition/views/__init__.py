"""Recognition pages (being split into one module per audience)."""

from recognition.views.officer import *  # noqa: F403

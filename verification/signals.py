"""Signals of verification, for the apps above it."""

from django.dispatch import Signal

# Sent when someone asks to verify a link into this portal that verification itself does not
# know (a share link belongs to the wallet). Keyword argument: `path`. A receiver that knows
# the path returns the document behind it (a credential or an unsigned presentation bundling
# several); every other receiver returns None. A receiver raises Http404 for a link that is
# unknown, expired or revoked.
local_document_requested = Signal()

"""Offline JSON-LD processing: the pinned-context document loader and RDFC-1.0 canonicalisation.

``canonicalize`` goes through the per-shape cache (see :mod:`credential_format.canonical_cache`) and is
byte-identical to a full pyld run; ``canonicalize_with_pyld`` always runs the full path.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from credential_format.canonical_cache import ShapeCache, default_shape_cache
from credential_format.contexts import OfflineDocumentLoader, document_loader
from credential_format.rdf import canonicalize_with_pyld, expand_strictly

__all__ = [
    "OfflineDocumentLoader",
    "canonicalize",
    "canonicalize_with_pyld",
    "document_loader",
    "expand_strictly",
    "shape_cache_for",
]

_caches: weakref.WeakKeyDictionary[OfflineDocumentLoader, ShapeCache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def shape_cache_for(loader: OfflineDocumentLoader) -> ShapeCache:
    """The shape cache bound to a loader (each loader serves its own set of contexts)."""
    if loader is document_loader:
        return default_shape_cache
    with _caches_lock:
        cache = _caches.get(loader)
        if cache is None:
            cache = ShapeCache(loader)
            _caches[loader] = cache
        return cache


def canonicalize(document: Any, *, loader: OfflineDocumentLoader = document_loader) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document, using only the shipped contexts.

    Raises :class:`credential_format.errors.CredentialFormatError` subclasses for unknown contexts,
    undefined terms, relative references and documents too large to canonicalise safely.
    """
    return shape_cache_for(loader).canonicalize(document)

"""Writes of the catalogue, one module per question: programmes and their publication
workflow, versions, pathways, offerings, enrolment, assessment results and their CSV upload.

Every function checks the actor's right with `catalogue.permissions` (404 when refused),
owns its transaction and writes an audit event. Rule violations a user can fix raise
`DomainError` / `ConflictError`.
"""

from catalogue.services.badges import (
    remove_programme_badge,
    upload_programme_badge,
)
from catalogue.services.enrolment import (
    NotInCatalogueError,
    enrol,
    withdraw,
)
from catalogue.services.offerings import (
    OFFERING_FIELDS,
    create_offering,
    update_offering,
)
from catalogue.services.pathways import (
    create_pathway,
)
from catalogue.services.programmes import (
    LANGUAGE_MAP_FIELDS,
    PROGRAMME_EDITABLE_FIELDS,
    SEARCH_CONFIG,
    OutcomeInput,
    create_programme,
    programme_queryset,
    update_programme,
)
from catalogue.services.publication import (
    approve_programme,
    archive_programme,
    fill_search_documents,
    request_changes,
    submit_programme,
)
from catalogue.services.results import (
    BOOLEAN_WORDS,
    ECTS_GRADES,
    ECTS_PASSING,
    ConflictOfInterestError,
    ResultEntry,
    SavedResults,
    before_start_message,
    normalise_grade,
    own_result_error,
    record_result,
)
from catalogue.services.results_upload import (
    REQUIRED_COLUMNS,
    UPLOAD_COLUMNS,
    UploadPreview,
    UploadRow,
    check_upload_size,
    confirm_results_upload,
    preview_results_upload,
    preview_stored_upload,
)

__all__ = [
    "BOOLEAN_WORDS",
    "ECTS_GRADES",
    "ECTS_PASSING",
    "LANGUAGE_MAP_FIELDS",
    "OFFERING_FIELDS",
    "PROGRAMME_EDITABLE_FIELDS",
    "REQUIRED_COLUMNS",
    "SEARCH_CONFIG",
    "UPLOAD_COLUMNS",
    "ConflictOfInterestError",
    "NotInCatalogueError",
    "OutcomeInput",
    "ResultEntry",
    "SavedResults",
    "UploadPreview",
    "UploadRow",
    "approve_programme",
    "archive_programme",
    "before_start_message",
    "check_upload_size",
    "confirm_results_upload",
    "create_offering",
    "create_pathway",
    "create_programme",
    "enrol",
    "fill_search_documents",
    "normalise_grade",
    "own_result_error",
    "preview_results_upload",
    "preview_stored_upload",
    "programme_queryset",
    "record_result",
    "remove_programme_badge",
    "request_changes",
    "submit_programme",
    "update_offering",
    "update_programme",
    "upload_programme_badge",
    "withdraw",
]

"""What the catalogue tells the apps above it (they connect in their `AppConfig.ready()`).

The signals are sent with `sender=AssessmentResult` and `results=[AssessmentResult, ...]`
(one batch: a form save is a batch of one, a CSV upload is one batch), inside the transaction
that saved the results: a receiver that raises rolls the results back with it. Receivers run
in the order they were connected, which is the order of `INSTALLED_APPS`.

Who reacts: search for `result_passed.connect`, `result_withdrawn.connect` and
`result_grade_corrected.connect`.
See docs/decisions/catalogue-result-hooks.md.
"""

from __future__ import annotations

from django.dispatch import Signal

# Results that became a pass: a new pass, or a fail corrected to a pass.
result_passed = Signal()
# Results that were a pass and were corrected to a fail.
result_withdrawn = Signal()
# Passes that stay passes with another grade; each result carries `previous_grade`.
result_grade_corrected = Signal()

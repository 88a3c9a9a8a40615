"""Decisions a registrar can book: what the student information system needs, the exports
(EMREX/ELMO, ELM) and the registrar's confirmation."""

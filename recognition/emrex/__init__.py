"""EMREX/ELMO: the transcript format of the EMREX network (https://github.com/emrex-eu/elmo-schemas),
written for booked decisions and read as evidence for recognition requests."""

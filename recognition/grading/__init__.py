"""Grades across the alliance: national grading schemes as data, ECTS grading tables computed
from results, and conversion by percentile position (ECTS Users' Guide 2015, EGRACONS)."""

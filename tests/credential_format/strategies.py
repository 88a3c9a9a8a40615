"""Hypothesis strategies for credential content and shapes."""

from __future__ import annotations

import string
from datetime import datetime

from hypothesis import strategies as st

from credential_format.builders import (
    AwardingBody,
    Grade,
    Learner,
    LearningOutcome,
    MicroCredentialClaims,
    Skill,
)
from credential_format.status_list import status_entry

# Control characters that are refused (see docs/credential-format.md, "Text values").
UNPORTABLE_CONTROL = "".join(chr(c) for c in [*range(9), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
characters = st.characters(blacklist_categories=("Cs",), blacklist_characters=UNPORTABLE_CONTROL)
# Any other text: quotes, backslashes, tabs, newlines, emoji, strings that look like IRIs.
free_text = st.one_of(
    st.text(alphabet=characters, min_size=1, max_size=60),
    st.text(
        alphabet=string.printable.replace("\x0b", "").replace("\x0c", ""), min_size=1, max_size=40
    ),
    st.from_regex(r"[a-z]{1,8}:[A-Za-z0-9/._-]{0,20}", fullmatch=True),
    st.text(alphabet=characters, min_size=100, max_size=600),
)
# Text without C0 control characters, and without U+E000-U+FFFF: the JavaScript stack escapes
# the former differently from pyld, and orders lines holding the latter before or after
# characters above U+FFFF by UTF-16 code units where RDFC-1.0 orders by code point (a text and
# its translation are statements of one subject and property, so both kinds can meet in one
# credential). Both divergences are named and shown in tests/interop/differential.py; the
# interoperability tests stay clear of them.
portable_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")).filter(
        lambda character: not "\ue000" <= character <= "\uffff"
    ),
    min_size=1,
    max_size=80,
)
iri = st.one_of(
    st.uuids().map(lambda u: f"urn:uuid:{u}"),
    st.from_regex(r"https://[a-z]{1,10}\.example\.eu/[a-z0-9/-]{0,20}", fullmatch=True),
    st.from_regex(r"did:web:[a-z]{1,10}\.example\.eu(:[a-z]{1,8}){0,2}", fullmatch=True),
)
country = st.sampled_from(["BE", "FR", "DE", "PL", "IT", "ES", "NL", "SE"])
timestamp = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2099, 1, 1),
).map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%SZ"))


def bodies(text: st.SearchStrategy[str]) -> st.SearchStrategy[AwardingBody]:
    return st.builds(
        AwardingBody,
        id=iri,
        name=text,
        country_code=country,
        url=st.none() | st.from_regex(r"https://[a-z]{1,10}\.example\.eu", fullmatch=True),
    )


def skills(text: st.SearchStrategy[str]) -> st.SearchStrategy[Skill]:
    return st.builds(
        Skill,
        uri=st.uuids().map(lambda u: f"http://data.europa.eu/esco/skill/{u}"),
        label=text,
    )


def translations(text: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, str]]:
    """A text in a few languages, as the `<term>Languages` language maps carry it."""
    return st.dictionaries(
        st.sampled_from(["en", "es", "de", "fr", "pl", "pt-BR", "sr-Latn"]), text, max_size=3
    )


def claims(text: st.SearchStrategy[str] = free_text) -> st.SearchStrategy[MicroCredentialClaims]:
    outcome = st.builds(
        LearningOutcome,
        text=text,
        skills=st.lists(skills(text), max_size=3).map(tuple),
        text_languages=translations(text),
    )
    return st.builds(
        MicroCredentialClaims,
        credential_id=st.uuids().map(lambda u: f"urn:uuid:{u}"),
        achievement_id=st.from_regex(
            r"https://portal\.example\.eu/p/[a-z0-9-]{1,20}", fullmatch=True
        ),
        title=text,
        description=text,
        criteria_narrative=text,
        title_languages=translations(text),
        description_languages=translations(text),
        criteria_languages=translations(text),
        assessment_type_languages=translations(text),
        issuer=bodies(text),
        awarding_bodies=st.lists(bodies(text), min_size=1, max_size=4).map(tuple),
        learner=st.builds(
            Learner,
            full_name=text,
            did=st.none() | st.just("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"),
            email=st.none() | st.emails(),
            student_id=st.none() | text,
        ),
        issued_on=timestamp,
        learning_outcomes=st.lists(outcome, min_size=1, max_size=10).map(tuple),
        ects_credits=st.one_of(
            st.integers(min_value=1, max_value=60),
            st.floats(min_value=0.5, max_value=60, allow_nan=False).map(lambda x: round(x, 2)),
        ),
        eqf_level=st.integers(min_value=1, max_value=8),
        assessment_type=text,
        participation_form=st.sampled_from(["online", "onsite", "blended"]),
        quality_assurance=text,
        language=st.sampled_from(["en", "fr", "de", "pl"]),
        qf_ehea_cycle=st.none() | st.sampled_from(["short", "first", "second", "third"]),
        workload_hours=st.none() | st.integers(min_value=1, max_value=1800),
        field_of_study=st.none() | text,
        valid_until=st.none() | timestamp,
        prerequisites=st.none() | text,
        supervision=st.none()
        | st.sampled_from(
            [
                "unsupervised-no-identity-verification",
                "supervised-no-identity-verification",
                "supervised-with-identity-verification",
            ]
        ),
        grade=st.none() | st.builds(Grade, value=text),
        integration=st.none() | st.sampled_from(["stand-alone", "stackable", "integrated"]),
        stackable_towards=st.lists(iri, max_size=2).map(tuple),
        further_information=st.none() | text,
        credential_status=st.lists(
            st.builds(
                status_entry,
                list_credential_url=st.just("https://portal.example.eu/status/1"),
                index=st.integers(min_value=0, max_value=131071),
                purpose=st.sampled_from(["revocation", "suspension"]),
            ),
            max_size=2,
        ).map(tuple),
        email_salt=st.just("salt"),
    )

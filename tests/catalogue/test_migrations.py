from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from catalogue import services
from catalogue.models import ProgrammeVersion
from tests.catalogue.factories import published_programme

BEFORE_FILL = ("catalogue", "0008_version_listed_and_alliance")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


@pytest.mark.django_db(transaction=True)
def test_the_migration_lists_the_published_versions_of_programmes_not_archived(
    alice, institution_a
):
    migrate([BEFORE_FILL])
    try:
        shown = published_programme(alice, institution_a, slug="shown")
        revised = published_programme(alice, institution_a, slug="revised")
        services.update_programme(
            actor=alice, programme=revised, data={"title": {"en": "Second", "es": "x"}}
        )
        revised = services.submit_programme(actor=alice, programme=revised)
        archived = published_programme(alice, institution_a, slug="archived")
        services.archive_programme(actor=alice, programme=archived)
        # As the rows were before the columns existed.
        ProgrammeVersion.objects.update(listed=False, alliance=None)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    listed = set(ProgrammeVersion.objects.filter(listed=True).values_list("pk", flat=True))
    assert listed == {shown.published_version_id, revised.published_version_id}
    assert ProgrammeVersion.objects.filter(programme=revised).count() == 2
    assert set(ProgrammeVersion.objects.values_list("alliance_id", flat=True)) == {
        shown.alliance_id
    }

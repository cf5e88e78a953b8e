"""alectro_deploy.layout: the order rollback goes back in, for any releases and any record of them."""

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from alectro_deploy import layout

NOW = datetime(2026, 11, 24, 15, 0, 7, tzinfo=UTC)


@settings(max_examples=200, deadline=None)
@given(numbers=st.sets(st.integers(1, 20_000), min_size=1, max_size=12), data=st.data())
def test_without_a_record_the_way_back_is_every_kept_release_older_than_the_live_one(numbers, data):
    existing = layout.releases_of([layout.release_name(n, NOW, None) for n in numbers])
    live = data.draw(st.sampled_from(existing))
    went_live, recorded = layout.way_back([], live, existing)
    assert not recorded
    assert went_live == [name for name in existing if layout.sequence(name) <= layout.sequence(live)]
    older = [name for name in existing if layout.sequence(name) < layout.sequence(live)]
    assert went_live[-2:-1] == older[-1:]  # rollback's choice: the newest older release, if there is one
